/** Every CLI command against a recording node:http server: what is sent, what is printed, exit codes. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { prompt } from '../src/cli/prompt';
import { shellWords } from '../src/shell';
import {
  type CliRun,
  type Recorded,
  runCli,
  secretsIn,
  sendJson,
  startServer,
  tempHome,
} from './cli-helpers';

const PASSWORD = 'Sup3r-Secret!';
const TOKEN = 'tok-abcdef-0123456789';
const K = '/kapis/infra.kubesphere.io/v1alpha1';
const GROUP = {
  apiVersion: 'infra.kubesphere.io/v1alpha1',
  kind: 'NodeGroup',
  metadata: { name: 'edge-a', creationTimestamp: new Date(Date.now() - 3 * 3600_000).toISOString() },
  spec: { alias: 'Edge A', manager: 'ops' },
  status: { state: 'active' },
};

function fakeKapi(req: Recorded, res: import('node:http').ServerResponse) {
  if (req.url === '/oauth/token') {
    const form = new URLSearchParams(req.body);
    if (form.get('password') !== PASSWORD)
      return sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: 'incorrect username or password',
      });
    return sendJson(res, 200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 7200 });
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`)
    return sendJson(res, 401, { kind: 'Status', message: 'Unauthorized', code: 401 });
  if (req.url.startsWith('/api/v1/nodes')) {
    return sendJson(res, 200, {
      items: [1, 2].map((i) => ({
        metadata: { name: `n${i}`, labels: { 'apps.edgewize.io/nodegroup': 'edge-a' } },
      })),
    });
  }
  if (req.url.includes('/nodegroups/missing')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('nodegroups.infra.kubesphere.io "missing" not found');
    return;
  }
  if (req.url.includes('/nodegroups/taken'))
    return sendJson(res, 409, {
      kind: 'Status',
      message: 'nodegroups.infra.kubesphere.io "taken" already exists',
      reason: 'AlreadyExists',
      code: 409,
    });
  if (/\/(nodes|namespaces|workspaces)\//.test(req.url)) return sendJson(res, 200, { message: 'success' });
  if (req.method === 'GET' && req.url.startsWith(`${K}/nodegroups?`))
    return sendJson(res, 200, { items: [GROUP], totalItems: 1 });
  if (req.method === 'GET' && req.url === `${K}/nodegroups`)
    return sendJson(res, 200, { items: [GROUP], totalItems: 1 });
  sendJson(res, 200, GROUP);
}

describe('nodegroup-api commands', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const home = tempHome();
  let env: Record<string, string>;
  const runs: CliRun[] = [];
  const cli = async (...args: string[]) => {
    const run = await runCli(args, env);
    runs.push(run);
    return run;
  };
  /** The requests one CLI run sent. */
  const sent = async (...args: string[]) => {
    const before = server.requests.length;
    const run = await cli(...args);
    return { run, requests: server.requests.slice(before) };
  };

  before(async () => {
    server = await startServer(fakeKapi);
    env = { HOME: home.home, KUBESPHERE_HOST: server.url };
  });
  after(async () => {
    await server.close();
    home.cleanup();
    for (const run of runs)
      assert.deepEqual(secretsIn(run, [PASSWORD, TOKEN]), [], 'no secret on stdout or stderr');
  });

  it('login caches the token (0600, helper JSON) without printing it; a wrong password exits 1', async () => {
    const { run, requests } = await sent('login', '--username', 'admin', '--password', PASSWORD);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /logged in to .* as admin; token cached in .*\.kubesphere_token/);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url, '/oauth/token');
    const file = join(home.home, '.kubesphere_token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).token, TOKEN);
    const bad = await cli('login', '--username', 'admin', '--password', 'wrong');
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /POST \/oauth\/token -> 400 invalid_grant: invalid_grant: incorrect username or password/,
    );
  });

  it('login takes the credentials from the environment and asks for nothing', async () => {
    const run = await runCli(['login'], {
      ...env,
      KUBESPHERE_USERNAME: 'admin',
      KUBESPHERE_PASSWORD: PASSWORD,
    });
    runs.push(run);
    assert.equal(run.code, 0, run.stderr);
  });

  it('nodegroup list, get, create, patch and delete send the KAPI requests of the guide', async () => {
    let r = await sent('nodegroup', 'list');
    assert.equal(r.run.code, 0, r.run.stderr);
    assert.deepEqual(JSON.parse(r.run.stdout).items[0].metadata.name, 'edge-a');
    assert.deepEqual(
      r.requests.map((q) => `${q.method} ${q.url}`),
      [`GET ${K}/nodegroups`],
    );
    assert.equal(r.requests[0]!.headers.authorization, `Bearer ${TOKEN}`, 'the cached token is used');

    r = await sent('nodegroup', 'get', 'edge-a');
    assert.equal(r.requests[0]!.url, `${K}/nodegroups/edge-a`);

    r = await sent('nodegroup', 'create', '--name', 'edge-b', '--alias', 'Edge B', '--manager', 'ops');
    assert.equal(r.run.code, 0);
    assert.equal(r.requests[0]!.method, 'POST');
    assert.equal(r.requests[0]!.url, `${K}/nodegroups`);
    assert.deepEqual(JSON.parse(r.requests[0]!.body), {
      apiVersion: 'infra.kubesphere.io/v1alpha1',
      kind: 'NodeGroup',
      metadata: { name: 'edge-b' },
      spec: { alias: 'Edge B', manager: 'ops' },
    });

    // The guide helper's wire format: a JSON Patch array, `add` on /spec/<field> (issue 17).
    r = await sent('nodegroup', 'patch', 'edge-b', '--description', 'new', '--manager', 'ops');
    assert.equal(`${r.requests[0]!.method} ${r.requests[0]!.url}`, `PATCH ${K}/nodegroups/edge-b`);
    assert.equal(r.requests[0]!.headers['content-type'], 'application/json-patch+json');
    assert.deepEqual(JSON.parse(r.requests[0]!.body), [
      { op: 'add', path: '/spec/description', value: 'new' },
      { op: 'add', path: '/spec/manager', value: 'ops' },
    ]);

    r = await sent('nodegroup', 'delete', 'edge-b');
    assert.equal(`${r.requests[0]!.method} ${r.requests[0]!.url}`, `DELETE ${K}/nodegroups/edge-b`);
  });

  it('bind and unbind node, namespace and workspace', async () => {
    for (const verb of ['bind', 'unbind']) {
      for (const [kind, segment] of [
        ['node', 'nodes'],
        ['namespace', 'namespaces'],
        ['workspace', 'workspaces'],
      ]) {
        const r = await sent(verb, kind!, '--nodegroup', 'edge-a', `--${kind}`, 'target-1');
        assert.equal(r.run.code, 0, r.run.stderr);
        assert.equal(r.requests[0]!.method, verb === 'bind' ? 'POST' : 'DELETE');
        assert.equal(r.requests[0]!.url, `${K}/nodegroups/edge-a/${segment}/target-1`);
      }
    }
  });

  it('request sends raw requests; a PATCH body goes as application/json-patch+json', async () => {
    const ops = '[{"op":"add","path":"/spec/alias","value":"x"}]';
    const r = await sent('request', 'PATCH', `${K}/nodegroups/edge-a`, ops);
    assert.equal(r.run.code, 0, r.run.stderr);
    assert.equal(r.requests[0]!.headers['content-type'], 'application/json-patch+json');
    assert.deepEqual(JSON.parse(r.requests[0]!.body), JSON.parse(ops));
    const get = await sent('request', 'get', `${K}/nodegroups?name=edge`);
    assert.equal(get.requests[0]!.url, `${K}/nodegroups?name=edge`);
  });

  it('--cluster uses the multi-cluster paths', async () => {
    let r = await sent('--cluster', 'member-1', 'nodegroup', 'get', 'edge-a');
    assert.equal(
      r.requests[0]!.url,
      '/kapis/clusters/member-1/infra.kubesphere.io/v1alpha1/nodegroups/edge-a',
    );
    r = await sent('bind', 'node', '--nodegroup', 'edge-a', '--node', 'n1', '--cluster', 'member-1');
    assert.equal(
      r.requests[0]!.url,
      '/kapis/clusters/member-1/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/nodes/n1',
    );
    r = await sent('--cluster', 'member-1', 'request', 'GET', '/api/v1/nodes');
    assert.equal(r.requests[0]!.url, '/clusters/member-1/api/v1/nodes');
  });

  it('-o yaml, -o table and -q', async () => {
    const yaml = await cli('-o', 'yaml', 'nodegroup', 'get', 'edge-a');
    assert.match(yaml.stdout, /^apiVersion: infra.kubesphere.io\/v1alpha1\nkind: NodeGroup\n/);
    const table = await cli('nodegroup', 'list', '-o', 'table');
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+ALIAS\s+MANAGER\s+STATE\s+NODES\s+AGE$/);
    assert.match(lines[1]!, /^edge-a\s+Edge A\s+ops\s+active\s+2\s+3h$/);
    const quiet = await cli('-q', 'nodegroup', 'get', 'edge-a');
    assert.equal(quiet.stdout, `${JSON.stringify(GROUP)}\n`);
  });

  it('server errors exit 1 with method, path, status and the message, whatever its form', async () => {
    const text = await cli('nodegroup', 'get', 'missing');
    assert.equal(text.code, 1);
    assert.equal(
      text.stderr,
      `error: GET ${K}/nodegroups/missing -> 404: nodegroups.infra.kubesphere.io "missing" not found\n`,
    );
    const status = await cli('nodegroup', 'get', 'taken');
    assert.equal(status.code, 1);
    assert.match(
      status.stderr,
      /-> 409 AlreadyExists: nodegroups.infra.kubesphere.io "taken" already exists/,
    );
    const unauthorized = await runCli(['--token', 'nope', 'nodegroup', 'list'], env);
    runs.push(unauthorized);
    assert.equal(unauthorized.code, 1);
    assert.match(unauthorized.stderr, /401[\s\S]*nodegroup-api login[\s\S]*KUBESPHERE_USERNAME/);
  });

  it('--dry-run prints the request and a curl command, redacts secrets and sends nothing', async () => {
    const before = server.requests.length;
    const create = await cli('--dry-run', 'nodegroup', 'create', '--name', 'dry', '--alias', "it's");
    assert.equal(create.code, 0, create.stderr);
    assert.match(create.stdout, new RegExp(`^POST ${server.url}${K}/nodegroups$`, 'm'));
    assert.match(create.stdout, /^authorization: Bearer <redacted>$/m);
    const curl = create.stdout.split('\n').find((line) => line.startsWith('curl '));
    assert.match(
      curl ?? '',
      /^curl -sS -X POST .* -H "Authorization: Bearer \$KUBESPHERE_TOKEN" .*--data-raw /,
    );
    // The body survives the shell's quoting: a POSIX shell's words give back the alias with its quote.
    const words = shellWords(curl ?? '');
    const body = JSON.parse(words[words.indexOf('--data-raw') + 1] ?? '{}');
    assert.equal(body.spec.alias, "it's");
    const login = await cli('--dry-run', 'login', '--username', 'admin', '--password', PASSWORD);
    assert.match(login.stdout, /password=<redacted>/);
    assert.match(login.stdout, /--data-urlencode "password=\$KUBESPHERE_PASSWORD"/);
    for (const args of [
      ['nodegroup', 'delete', 'edge-a'],
      ['unbind', 'node', '--nodegroup', 'edge-a', '--node', 'n1'],
      ['clear-cache'],
    ]) {
      assert.equal((await cli('--dry-run', ...args)).code, 0);
    }
    const tls = ['--dry-run', '--host', 'https://ks.example', 'nodegroup', 'list'];
    const insecure = await cli('--insecure', ...tls);
    assert.match(insecure.stdout, /^curl -sS -X GET https:\/\/ks\.example\/kapis\/\S* -k -H /m);
    const withCa = await runCli(tls, { ...env, KUBESPHERE_CA_FILE: '/etc/ks/ca.pem' });
    runs.push(withCa);
    assert.match(withCa.stdout, /^curl -sS -X GET \S+ --cacert \/etc\/ks\/ca\.pem -H /m);
    assert.equal(server.requests.length, before, 'nothing was sent');
    assert.ok(existsSync(join(home.home, '.kubesphere_token')), 'clear-cache --dry-run kept the cache');
  });

  it('KUBESPHERE_TOKEN beats the cache, --token beats KUBESPHERE_TOKEN', async () => {
    const viaEnv = await runCli(['nodegroup', 'list'], { ...env, KUBESPHERE_TOKEN: 'env-token' });
    assert.equal(viaEnv.code, 1, 'the env token is sent (and refused), not the cached one');
    const viaFlag = await runCli(['--token', TOKEN, 'nodegroup', 'list'], {
      ...env,
      KUBESPHERE_TOKEN: 'env-token',
    });
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    runs.push(viaEnv, viaFlag);
  });

  it('clear-cache removes the cache; then commands say how to get a token', async () => {
    const run = await cli('clear-cache');
    assert.match(run.stdout, /^removed .*\.kubesphere_token\n$/);
    assert.equal(existsSync(join(home.home, '.kubesphere_token')), false);
    assert.match((await cli('clear-cache')).stdout, /^no token cache at /);
    const none = await cli('nodegroup', 'list');
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /--token.*KUBESPHERE_TOKEN.*nodegroup-api login.*KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD/,
    );
  });

  it('the host: --host, then KUBESPHERE_HOST, then http://ks-apiserver.kubesphere-system', async () => {
    const path = `${K}/nodegroups`;
    const { KUBESPHERE_HOST: _unset, ...noHost } = env;
    const byDefault = await runCli(['--dry-run', 'nodegroup', 'list'], noHost);
    const byEnv = await runCli(['--dry-run', 'nodegroup', 'list'], {
      ...noHost,
      KUBESPHERE_HOST: 'http://env.example',
    });
    const byFlag = await runCli(['--dry-run', '--host', 'https://flag.example/base', 'nodegroup', 'list'], {
      ...noHost,
      KUBESPHERE_HOST: 'http://env.example',
    });
    runs.push(byDefault, byEnv, byFlag);
    assert.match(byDefault.stdout, new RegExp(`^GET http://ks-apiserver\\.kubesphere-system${path}$`, 'm'));
    assert.match(byEnv.stdout, new RegExp(`^GET http://env\\.example${path}$`, 'm'));
    assert.match(byFlag.stdout, new RegExp(`^GET https://flag\\.example/base${path}$`, 'm'));
  });

  it('a host that refuses connections exits 3 naming the host and what to check', async () => {
    const dead = await startServer(() => {});
    await dead.close();
    const run = await cli('--host', dead.url, '--token', 'x', 'nodegroup', 'list');
    assert.equal(run.code, 3);
    assert.match(run.stderr, new RegExp(`cannot reach ${dead.url}`));
    assert.match(run.stderr, /check --host or KUBESPHERE_HOST/);
  });
});

describe('password prompt', () => {
  it('reads the password in raw mode without echoing it', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[] });
    const modes: boolean[] = [];
    (input as unknown as { setRawMode: (m: boolean) => void }).setRawMode = (mode: boolean) =>
      modes.push(mode);
    let echoed = '';
    const answer = prompt('Password: ', input, { write: (t: string) => (echoed += t) }, true);
    input.write('pa');
    input.write('x\u007fss\r');
    assert.equal(await answer, 'pass');
    assert.equal(echoed, 'Password: \n');
    assert.deepEqual(modes, [true, false]);
  });
});
