/**
 * Every nodegroup-api command against a started sandbox, with the server-side effect checked
 * through the sandbox's Kubernetes API (served by ks-apiserver under /api and /apis).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NAMESPACE_LABEL_PREFIX, NODE_GROUP_LABEL, WORKSPACE_PARENT_ANNOTATION } from '../src/constants';
import { KapiClient } from '../src/kapi/client';
import { HttpError } from '../src/kapi/errors';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { type CliRun, runCli, secretsIn, tempHome } from './cli-helpers';

const NG = '/apis/infra.kubesphere.io/v1alpha1/nodegroups';
type Obj = {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec?: Record<string, unknown>;
  status?: { state?: string };
};

describe('nodegroup-api against the sandbox', () => {
  let sb: Sandbox;
  let kube: KapiClient;
  const home = tempHome();
  const runs: CliRun[] = [];
  /** Every token the cache held, checked against all output at the end. */
  const tokens: string[] = [];
  const cachedToken = () => {
    const token = JSON.parse(readFileSync(join(home.home, '.kubesphere_token'), 'utf8')).token as string;
    tokens.push(token);
    return token;
  };
  let env: Record<string, string>;
  /** Env with the cached token only (no credentials), so re-login is tested explicitly. */
  const cli = async (args: string[], extra: Record<string, string> = {}) => {
    const run = await runCli(args, { ...env, ...extra });
    runs.push(run);
    return run;
  };
  const get = (path: string) => kube.call<Obj>({ method: 'GET', path });
  const absent = (path: string) =>
    get(path).then(
      () => false,
      (err: unknown) => err instanceof HttpError && err.status === 404,
    );
  /** Wait for a condition on the server with a deadline (the controller converges asynchronously). */
  async function until(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const fault = (name: string, body?: unknown) =>
    kube.call({
      method: body === undefined ? 'DELETE' : 'PUT',
      path: `/sandbox/v1/faults/${name}`,
      ...(body === undefined ? {} : { body }),
    });

  before(async () => {
    sb = await startSandbox();
    env = { HOME: home.home, KUBESPHERE_HOST: sb.url };
    kube = new KapiClient({ host: sb.url, credentials: { username: sb.username, password: sb.password } });
  });
  after(async () => {
    await kube.close();
    await sb.stop();
    home.cleanup();
    for (const run of runs) {
      assert.deepEqual(
        secretsIn(run, [sb.password, sb.readonly.password, ...tokens]),
        [],
        'no secret printed',
      );
    }
  });

  it('login writes the cache and the cached token is accepted', async () => {
    const run = await cli(['login', '--username', sb.username, '--password', sb.password]);
    assert.equal(run.code, 0, run.stderr);
    const cached = JSON.parse(readFileSync(join(home.home, '.kubesphere_token'), 'utf8'));
    assert.ok(cached.expires_at > Date.now() / 1000);
    tokens.push(cached.token);
    const probe = new KapiClient({ host: sb.url, token: cached.token });
    assert.ok(await probe.call({ method: 'GET', path: '/api/v1/nodes/master-1' }));
    await probe.close();
    const bad = await cli(['login', '--username', sb.username, '--password', 'wrong-password']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /POST \/oauth\/token -> 400 invalid_grant/);
  });

  it('create, list, get, patch and raw request PATCH change the NodeGroup on the server', async () => {
    let run = await cli([
      'nodegroup',
      'create',
      '--name',
      'cli-g1',
      '--alias',
      'CLI one',
      '--manager',
      'admin',
    ]);
    assert.equal(run.code, 0, run.stderr);
    await until('cli-g1 active', async () => (await get(`${NG}/cli-g1`)).status?.state === 'active');
    assert.deepEqual((await get(`${NG}/cli-g1`)).spec, { alias: 'CLI one', manager: 'admin' });

    run = await cli(['nodegroup', 'list']);
    assert.ok(
      JSON.parse(run.stdout).items.some((g: { metadata: { name: string } }) => g.metadata.name === 'cli-g1'),
    );
    run = await cli(['-o', 'table', 'nodegroup', 'get', 'cli-g1']);
    assert.match(run.stdout, /^cli-g1\s+CLI one\s+admin\s+active\s+0\s+\d+s$/m);

    run = await cli(['nodegroup', 'patch', 'cli-g1', '--description', 'patched']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await get(`${NG}/cli-g1`)).spec?.['description'], 'patched');

    run = await cli([
      'request',
      'PATCH',
      '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/cli-g1',
      '[{"op":"replace","path":"/spec/alias","value":"raw"}]',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await get(`${NG}/cli-g1`)).spec?.['alias'], 'raw');

    run = await cli(['nodegroup', 'create', '--name', 'cli-g1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /409.*already exists/);
    run = await cli(['--cluster', 'nowhere', 'nodegroup', 'list']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cluster nowhere not exists/);
  });

  it('bind and unbind a node, a namespace and a workspace', async () => {
    assert.equal((await cli(['bind', 'node', '--nodegroup', 'cli-g1', '--node', 'edge-node-2'])).code, 0);
    await until(
      'node label',
      async () => (await get('/api/v1/nodes/edge-node-2')).metadata.labels?.[NODE_GROUP_LABEL] === 'cli-g1',
    );
    assert.equal((await cli(['unbind', 'node', '--nodegroup', 'cli-g1', '--node', 'edge-node-2'])).code, 0);
    await until(
      'node label removed',
      async () => !(await get('/api/v1/nodes/edge-node-2')).metadata.labels?.[NODE_GROUP_LABEL],
    );

    assert.equal(
      (await cli(['bind', 'namespace', '--nodegroup', 'cli-g1', '--namespace', 'monitoring'])).code,
      0,
    );
    await until('namespace bound', async () => {
      const ns = await get('/api/v1/namespaces/monitoring');
      const group = await get(`${NG}/cli-g1`);
      return (
        ns.metadata.labels?.[NODE_GROUP_LABEL] === 'cli-g1' &&
        group.metadata.labels?.[`${NAMESPACE_LABEL_PREFIX}monitoring`] === 'monitoring'
      );
    });
    assert.equal(
      (await cli(['unbind', 'namespace', '--nodegroup', 'cli-g1', '--namespace', 'monitoring'])).code,
      0,
    );
    await until(
      'namespace unbound',
      async () => !(await get('/api/v1/namespaces/monitoring')).metadata.labels?.[NODE_GROUP_LABEL],
    );

    const ws = '/apis/tenant.kubesphere.io/v1alpha1/workspaces/team-b';
    assert.equal(
      (await cli(['bind', 'workspace', '--nodegroup', 'cli-g1', '--workspace', 'team-b'])).code,
      0,
    );
    await until(
      'workspace bound',
      async () => (await get(ws)).metadata.annotations?.[WORKSPACE_PARENT_ANNOTATION] === 'cli-g1',
    );
    assert.equal(
      (await cli(['unbind', 'workspace', '--nodegroup', 'cli-g1', '--workspace', 'team-b'])).code,
      0,
    );
    await until(
      'workspace unbound',
      async () => !(await get(ws)).metadata.annotations?.[WORKSPACE_PARENT_ANNOTATION],
    );

    const missing = await cli(['bind', 'node', '--nodegroup', 'cli-g1', '--node', 'no-such-node']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404/);
  });

  it('--dry-run leaves the sandbox unchanged', async () => {
    const before = await kube.call<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: NG });
    for (const args of [
      ['nodegroup', 'create', '--name', 'dry-one'],
      ['nodegroup', 'delete', 'cli-g1'],
      ['bind', 'node', '--nodegroup', 'cli-g1', '--node', 'worker-1'],
      ['request', 'DELETE', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a'],
    ]) {
      const run = await cli(['--dry-run', ...args]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^curl /m);
    }
    const afterList = await kube.call<{ metadata: { resourceVersion: string } }>({ method: 'GET', path: NG });
    assert.equal(afterList.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.ok(await absent(`${NG}/dry-one`));
    assert.equal((await get('/api/v1/nodes/worker-1')).metadata.labels?.[NODE_GROUP_LABEL], undefined);
  });

  it('retries GETs through kapi-errors, never a POST; latency beyond --timeout exits 3', async () => {
    await fault('kapi-errors', { pattern: '/nodegroups', method: 'GET', status: 503, count: 2 });
    let run = await cli(['nodegroup', 'get', 'cli-g1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr.match(/^retrying GET /gm)?.length, 2);

    await fault('kapi-errors', {
      pattern: '/nodegroups/cli-g1/nodes/',
      method: 'POST',
      status: 503,
      count: 2,
    });
    run = await cli(['bind', 'node', '--nodegroup', 'cli-g1', '--node', 'worker-1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /POST .* -> 503/);
    assert.doesNotMatch(run.stderr, /retrying/);
    await fault('kapi-errors');

    await fault('latency', { pattern: '/nodegroups', ms: 1500 });
    run = await cli(['--timeout', '0.3', 'nodegroup', 'list']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /no answer from .* within 0.3 s/);
    await fault('latency');
  });

  it('after token expiry: exit 1 without credentials, one re-login with them', async () => {
    await fault('token-expiry', {});
    await fault('token-expiry');
    let run = await cli(['nodegroup', 'list']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /401[\s\S]*nodegroup-api login/);
    const stale = cachedToken();
    run = await cli(['nodegroup', 'list'], {
      KUBESPHERE_USERNAME: sb.username,
      KUBESPHERE_PASSWORD: sb.password,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.notEqual(cachedToken(), stale);
  });

  it('the read-only user is refused writes (403, exit 1)', async () => {
    const viewerHome = tempHome();
    try {
      const viewerEnv = {
        HOME: viewerHome.home,
        KUBESPHERE_USERNAME: sb.readonly.username,
        KUBESPHERE_PASSWORD: sb.readonly.password,
      };
      const run = await cli(['nodegroup', 'delete', 'cli-g1'], viewerEnv);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /403[\s\S]*not allowed/);
      assert.equal((await cli(['nodegroup', 'get', 'cli-g1'], viewerEnv)).code, 0);
    } finally {
      viewerHome.cleanup();
    }
  });

  it('delete removes the group once the controller drops the finalizer', async () => {
    const run = await cli(['nodegroup', 'delete', 'cli-g1']);
    assert.equal(run.code, 0, run.stderr);
    await until('cli-g1 gone', () => absent(`${NG}/cli-g1`));
    assert.equal((await cli(['clear-cache'])).code, 0);
  });
});
