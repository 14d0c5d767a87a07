/**
 * The ks-apiserver listener's routing through a started sandbox: KubeSphere 4's cluster
 * dispatcher (`/clusters/{cluster}/api|apis|kapis/...`) and KubeSphere 3's
 * `/kapis/clusters/{cluster}/...` serve the host cluster; an unknown cluster is a 400 Status.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { NODE_GROUP_LABEL } from '../../src/constants';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { accessToken, httpsGet } from '../sandbox-http';

let sandbox: Sandbox;
const tokens: Record<'admin' | 'viewer', string> = { admin: '', viewer: '' };

interface Answer {
  status: number;
  type: string;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  options: { user?: 'admin' | 'viewer' | 'none'; body?: unknown; type?: string; base?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const user = options.user ?? 'admin';
  if (user !== 'none') headers.authorization = `Bearer ${tokens[user]}`;
  if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
  const res = await fetch(`${options.base ?? sandbox.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body };
}

before(async () => {
  sandbox = await startSandbox();
  tokens.admin = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  tokens.viewer = await accessToken(sandbox.url, sandbox.readonly.username, sandbox.readonly.password);
});
after(async () => {
  await sandbox.stop();
});

describe('/clusters/{cluster}/... (KubeSphere 4 cluster dispatcher)', () => {
  test('kube API of the host cluster: lists, gets, version and discovery', async () => {
    const nodes = await call('GET', '/clusters/host/api/v1/nodes');
    assert.equal(nodes.status, 200);
    assert.equal(nodes.body.kind, 'NodeList');
    const names = (nodes.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name);
    assert.deepEqual(
      names.sort(),
      sandbox.store
        .list('nodes')
        .items.map((n) => n.metadata.name)
        .sort(),
    );

    const cm = await call(
      'GET',
      '/clusters/host/api/v1/namespaces/kubesphere-system/configmaps/nodegroup-config',
    );
    assert.equal(cm.status, 200);
    assert.equal((cm.body.metadata as { name: string }).name, 'nodegroup-config');

    const groups = await call('GET', '/clusters/host/apis/infra.kubesphere.io/v1alpha1/nodegroups');
    assert.equal(groups.body.kind, 'NodeGroupList');

    const version = await call('GET', '/clusters/host/version');
    assert.match(String(version.body.gitVersion), /^v1\.32\./);

    const discovery = await call('GET', '/clusters/host/api');
    assert.equal(discovery.body.kind, 'APIVersions');
  });

  test('writes through the dispatcher reach the one store', async () => {
    const node = sandbox.store.list('nodes').items[0]!.metadata.name!;
    const patched = await call('PATCH', `/clusters/host/api/v1/nodes/${node}`, {
      body: { metadata: { labels: { 'routes-test': 'yes' } } },
      type: 'application/merge-patch+json',
    });
    assert.equal(patched.status, 200);
    assert.equal(sandbox.store.get('nodes', undefined, node).metadata.labels?.['routes-test'], 'yes');
    await call('PATCH', `/clusters/host/api/v1/nodes/${node}`, {
      body: { metadata: { labels: { 'routes-test': null } } },
      type: 'application/merge-patch+json',
    });
    assert.equal(sandbox.store.get('nodes', undefined, node).metadata.labels?.['routes-test'], undefined);
  });

  test('the KAPI of the host cluster, in both multi-cluster forms', async () => {
    const group = sandbox.store.list('nodegroups').items[0]!.metadata.name!;
    for (const path of [
      `/clusters/host/kapis/infra.kubesphere.io/v1alpha1/nodegroups/${group}`,
      `/kapis/clusters/host/infra.kubesphere.io/v1alpha1/nodegroups/${group}`,
    ]) {
      const res = await call('GET', path);
      assert.equal(res.status, 200, path);
      assert.equal((res.body.metadata as { name: string }).name, group);
    }
  });

  test('an unknown cluster is a 400 Status naming it, on kube and KAPI paths alike', async () => {
    for (const path of [
      '/clusters/mars/api/v1/nodes',
      '/clusters/mars/apis/infra.kubesphere.io/v1alpha1/nodegroups',
      '/clusters/mars/version',
      '/clusters/mars/kapis/infra.kubesphere.io/v1alpha1/nodegroups',
      '/kapis/clusters/mars/infra.kubesphere.io/v1alpha1/nodegroups',
    ]) {
      const res = await call('GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.kind, 'Status', path);
      assert.equal(res.body.message, 'cluster mars not exists', path);
    }
  });

  test('the dispatcher authenticates and authorizes as the plain paths do', async () => {
    const anonymous = await call('GET', '/clusters/host/api/v1/nodes', { user: 'none' });
    assert.equal(anonymous.status, 403);
    assert.equal(anonymous.body.reason, 'Forbidden');
    assert.equal((await call('GET', '/clusters/mars/api/v1/nodes', { user: 'none' })).status, 403);

    const node = sandbox.store.list('nodes').items[0]!.metadata.name!;
    const before = sandbox.store.get('nodes', undefined, node).metadata.resourceVersion;
    const denied = await call('PATCH', `/clusters/host/api/v1/nodes/${node}`, {
      user: 'viewer',
      body: { metadata: { labels: { [NODE_GROUP_LABEL]: 'x' } } },
      type: 'application/merge-patch+json',
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.reason, 'Forbidden');
    assert.equal(sandbox.store.get('nodes', undefined, node).metadata.resourceVersion, before);
    assert.equal((await call('GET', '/clusters/host/api/v1/nodes', { user: 'viewer' })).status, 200);
  });

  test('unknown paths under a cluster are 404: Page Not Found; kube-apiserver has no /clusters', async () => {
    const res = await call('GET', '/clusters/host/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.text, '404: Page Not Found');
    const kube = await httpsGet(`${sandbox.kubeUrl}/clusters/host/api/v1/nodes`, {
      ca: sandbox.caPem,
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    assert.equal(kube.status, 404);
    assert.equal(JSON.parse(kube.body).reason, 'NotFound');
  });
});

describe('errors after a request body, through the router', () => {
  test('a read body still gets its error answer: Status on kube paths, text/plain on KAPI', async () => {
    const before = sandbox.store.resourceVersion;
    const malformed = await fetch(`${sandbox.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: '{"metadata":',
    });
    assert.equal(malformed.status, 400);
    const status = (await malformed.json()) as { kind: string; message: string };
    assert.equal(status.kind, 'Status');
    assert.match(status.message, /not valid JSON/);

    const invalid = await call('POST', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups', {
      body: { metadata: { name: 'Not_A_Name' } },
    });
    assert.equal(invalid.status, 422);
    assert.match(invalid.type, /^text\/plain/);

    const big = await call('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'big' }, pad: 'x'.repeat(4 * 1024 * 1024) },
    });
    assert.equal(big.status, 413);
    assert.equal(big.body.reason, 'RequestEntityTooLarge');
    assert.equal(sandbox.store.resourceVersion, before, 'nothing was written');
  });
});

describe('fault control through the ks-apiserver router', () => {
  test('needs the admin token: anonymous and read-only callers get 403 and change nothing', async () => {
    const anonymous = await call('PUT', '/sandbox/v1/faults/controller-paused', { user: 'none', body: {} });
    assert.equal(anonymous.status, 403);
    const viewer = await call('PUT', '/sandbox/v1/faults/controller-paused', { user: 'viewer', body: {} });
    assert.equal(viewer.status, 403);
    assert.equal(viewer.body.reason, 'Forbidden');
    assert.equal((await call('POST', '/sandbox/v1/reset', { user: 'viewer' })).status, 403);
    const list = await call('GET', '/sandbox/v1/faults');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.faults, []);
  });

  test('kapi-errors answers text/plain on KAPI routes and a Status on kube routes, then recovers', async () => {
    const set = await call('PUT', '/sandbox/v1/faults/kapi-errors', {
      body: { pattern: '/nodegroups', status: 503, count: 2, method: 'GET' },
    });
    assert.equal(set.status, 200);
    const kapi = await call('GET', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups');
    assert.equal(kapi.status, 503);
    assert.match(kapi.type, /^text\/plain/);
    assert.match(String(kapi.body.text), /^503 Service Unavailable/);
    const kube = await call('GET', '/clusters/host/apis/infra.kubesphere.io/v1alpha1/nodegroups');
    assert.equal(kube.status, 503);
    assert.equal(kube.body.kind, 'Status');
    assert.equal(kube.body.reason, 'ServiceUnavailable');
    assert.equal((await call('GET', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups')).status, 200);
    assert.deepEqual((await call('GET', '/sandbox/v1/faults')).body.faults, []);
  });

  test('token-expiry: every issued token gets 401, kubectl included; a new login works', async () => {
    assert.equal((await call('PUT', '/sandbox/v1/faults/token-expiry', { body: {} })).status, 200);
    const expired = await call('GET', '/api/v1/nodes');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.reason, 'Unauthorized');
    assert.match(String(expired.body.message), /expired/);
    const kubeconfigToken = /token: (\S+)/.exec(readFileSync(sandbox.kubeconfigPath, 'utf8'))![1]!;
    const kube = await httpsGet(`${sandbox.kubeUrl}/api/v1/nodes`, {
      ca: sandbox.caPem,
      headers: { authorization: `Bearer ${kubeconfigToken}` },
    });
    assert.equal(kube.status, 401);

    tokens.admin = await accessToken(sandbox.url, sandbox.username, sandbox.password);
    assert.equal((await call('GET', '/api/v1/nodes')).status, 200);
    assert.equal((await call('DELETE', '/sandbox/v1/faults/token-expiry')).status, 200);
  });
});
