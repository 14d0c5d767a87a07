/**
 * The reproduction requests of issue 17 as regression tests: each once stopped the sandbox, gave
 * a 5xx or a reset, or was accepted silently. Both listeners keep serving after every one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { accessToken } from '../sandbox-http';
import { RawClient } from './raw-client';

let sandbox: Sandbox;
let ks: RawClient;
let kube: RawClient;
let auth: Record<string, string>;

before(async () => {
  sandbox = await startSandbox();
  ks = new RawClient(sandbox.url);
  kube = new RawClient(sandbox.kubeUrl, sandbox.caPem);
  auth = { authorization: `Bearer ${await accessToken(sandbox.url, sandbox.username, sandbox.password)}` };
});
after(async () => {
  ks.close();
  kube.close();
  await sandbox.stop();
});

async function alive(): Promise<void> {
  assert.equal((await ks.send({ method: 'GET', path: '/version' })).status, 200);
  assert.equal((await kube.send({ method: 'GET', path: '/version' })).status, 200);
}

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('URLs that stopped both listeners', () => {
  for (const path of ['//%2f%2f', '//a:99999/', '//%zz', '//x%00y', '/api/v1/%zz', '/x%00y']) {
    test(`${path} is answered and the server keeps serving`, async () => {
      for (const client of [ks, kube]) {
        const reply = await client.send({ method: 'GET', path });
        assert.ok(reply.status >= 400 && reply.status < 500, `${path}: ${reply.status} ${reply.body}`);
      }
      await alive();
    });
  }
  test('a NUL in the path is a 400 that says so', async () => {
    const reply = await kube.send({ method: 'GET', path: '/api/v1/nodes/x%00y' });
    assert.equal(reply.status, 400);
    assert.match(JSON.parse(reply.body).message, /NUL/);
  });
});

describe('bodies', () => {
  const json = { ...{}, 'content-type': 'application/json' };
  test('JSON nested 2,000 levels is a 400 on create and on merge patch, never a 500', async () => {
    const create = await kube.send({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      headers: { ...auth, ...json },
      body: `{"metadata":{"name":"deep"},"data":${deep(2000)}}`,
    });
    assert.equal(create.status, 400, create.body);
    assert.match(JSON.parse(create.body).message, /nests more than 100 levels/);
    const patch = await kube.send({
      method: 'PATCH',
      path: '/api/v1/nodes/worker-1',
      headers: { ...auth, 'content-type': 'application/merge-patch+json' },
      body: `{"metadata":{"labels":${deep(2000)}}}`,
    });
    assert.equal(patch.status, 400, patch.body);
    assert.equal(sandbox.store.has('configmaps', 'default', 'deep'), false);
    await alive();
  });

  test('a chunked body over the limit is a 413, not a reset', async () => {
    const chunk = Buffer.alloc(512 * 1024, 'a');
    for (const client of [ks, kube]) {
      const reply = await client.send({
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        headers: { ...auth, ...json },
        body: Array.from({ length: 8 }, () => chunk),
      });
      assert.equal(reply.status, 413, reply.body);
      assert.equal(JSON.parse(reply.body).reason, 'RequestEntityTooLarge');
    }
    await alive();
  });

  test('a declared length over the limit is a 413', async () => {
    const reply = await kube.send({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      headers: { ...auth, ...json },
      body: Buffer.alloc(3 * 1024 * 1024 + 1, 'a'),
    });
    assert.equal(reply.status, 413);
  });
});

describe('query values', () => {
  for (const value of ['abc', '-1', '1.5', '99999999999999999999']) {
    test(`timeoutSeconds=${value} is a 400 naming the parameter`, async () => {
      const reply = await kube.send({
        method: 'GET',
        path: `/api/v1/nodes?watch=1&timeoutSeconds=${value}`,
        headers: auth,
      });
      assert.equal(reply.status, 400, reply.body);
      assert.match(JSON.parse(reply.body).message, /timeoutSeconds/);
    });
  }

  test('timeoutSeconds=99999999999 keeps the watch open (no timer overflow)', async () => {
    const url = `${sandbox.kubeUrl}/api/v1/nodes?watch=true&timeoutSeconds=99999999999`;
    const controller = new AbortController();
    const { request } = await import('node:https');
    const firstEvent = await new Promise<string>((resolve, reject) => {
      const req = request(url, { headers: auth, ca: sandbox.caPem, signal: controller.signal }, (res) => {
        res.once('data', (c: Buffer) => resolve(c.toString()));
        res.once('end', () => reject(new Error('the watch closed at once')));
      });
      req.on('error', (err) => (err.name === 'AbortError' ? undefined : reject(err)));
      req.end();
    });
    assert.match(firstEvent, /"type":"ADDED"/);
    controller.abort();
  });

  for (const value of ['True', 'TRUE', 'yes', '1', 'true']) {
    test(`watch=${value} is a watch, as the apiserver reads it`, async () => {
      const { request } = await import('node:https');
      const controller = new AbortController();
      const type = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${sandbox.kubeUrl}/api/v1/namespaces?watch=${value}`,
          { headers: auth, ca: sandbox.caPem, signal: controller.signal },
          (res) => {
            res.once('data', (c: Buffer) => resolve(JSON.parse(c.toString().split('\n')[0]!).type));
          },
        );
        req.on('error', (err) => (err.name === 'AbortError' ? undefined : reject(err)));
        req.end();
      });
      controller.abort();
      assert.equal(type, 'ADDED');
    });
  }

  for (const value of ['false', 'False', '0', '']) {
    test(`watch=${value} is a list`, async () => {
      const reply = await kube.send({
        method: 'GET',
        path: `/api/v1/namespaces?watch=${value}`,
        headers: auth,
      });
      assert.equal(JSON.parse(reply.body).kind, 'NamespaceList');
    });
  }
});

describe('headers', () => {
  test('a header block over the limit is a 431, a malformed one a 400; the server keeps serving', async () => {
    const big = await ks
      .send({ method: 'GET', path: '/version', headers: { 'x-big': 'a'.repeat(20_000) } })
      .catch((err: Error) => err);
    assert.ok(!(big instanceof Error), `reset instead of 431: ${big instanceof Error ? big.message : ''}`);
    assert.equal(big.status, 431);
    const { connect } = await import('node:net');
    const url = new URL(sandbox.url);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write('GET /version HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (c) => {
        text += c.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    assert.match(answer, /^HTTP\/1\.1 400/);
    await alive();
  });
});

describe('served as a cluster serves it', () => {
  test('/version/ answers like /version', async () => {
    const reply = await kube.send({ method: 'GET', path: '/version/' });
    assert.equal(reply.status, 200);
    assert.match(JSON.parse(reply.body).gitVersion, /^v1\.32\./);
  });

  test('the tenant API is served as v1beta1 (preferred) with v1alpha1 still answering', async () => {
    const group = JSON.parse(
      (await kube.send({ method: 'GET', path: '/apis/tenant.kubesphere.io', headers: auth })).body,
    );
    assert.equal(group.preferredVersion.version, 'v1beta1');
    assert.ok(group.versions.some((v: { version: string }) => v.version === 'v1alpha1'));
    for (const version of ['v1beta1', 'v1alpha1']) {
      const ws = JSON.parse(
        (
          await kube.send({
            method: 'GET',
            path: `/apis/tenant.kubesphere.io/${version}/workspaces/team-a`,
            headers: auth,
          })
        ).body,
      );
      assert.equal(ws.apiVersion, `tenant.kubesphere.io/${version}`);
    }
  });

  test('a KAPI DELETE answers the group as stored: terminating while its finalizer holds it', async () => {
    const kapi = '/kapis/infra.kubesphere.io/v1alpha1/nodegroups';
    const h = { ...auth, 'content-type': 'application/json' };
    await ks.send({ method: 'POST', path: kapi, headers: h, body: '{"metadata":{"name":"gone"}}' });
    await ks.send({ method: 'POST', path: `${kapi}/gone/nodes/edge-node-2`, headers: auth });
    const until = Date.now() + 10_000;
    while (
      sandbox.store.get('nodes', undefined, 'edge-node-2').metadata.labels?.['apps.edgewize.io/nodegroup'] !==
      'gone'
    ) {
      assert.ok(Date.now() < until, 'the node was never bound');
      await new Promise((r) => setTimeout(r, 5));
    }
    const reply = JSON.parse((await ks.send({ method: 'DELETE', path: `${kapi}/gone`, headers: auth })).body);
    assert.equal(reply.status.state, 'terminating');
    assert.ok(reply.metadata.deletionTimestamp);
    const stored = sandbox.store.get('nodegroups', undefined, 'gone');
    assert.equal(stored.metadata.resourceVersion, reply.metadata.resourceVersion);
    await ks.send({ method: 'DELETE', path: `${kapi}/gone/nodes/edge-node-2`, headers: auth });
  });

  test('no empty labels or annotations, no generation on nodes, pods or namespaces', async () => {
    for (const path of [
      '/api/v1/nodes',
      '/api/v1/namespaces',
      '/api/v1/pods',
      '/apis/tenant.kubesphere.io/v1beta1/workspaces',
    ]) {
      const list = JSON.parse((await kube.send({ method: 'GET', path, headers: auth })).body);
      for (const item of list.items) {
        for (const key of ['labels', 'annotations'])
          if (item.metadata[key])
            assert.notDeepEqual(item.metadata[key], {}, `${path} ${item.metadata.name} ${key}`);
        if (!path.includes('tenant')) assert.equal(item.metadata.generation, undefined, `${path} generation`);
      }
    }
  });
});
