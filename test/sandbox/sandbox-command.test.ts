/**
 * The `nodegroup-sandbox` command as a user runs it: the ready line, the env file and kubeconfig it
 * writes, the real kubectl over the https kube-apiserver listener against the default fixture,
 * state saved on SIGTERM and loaded at the next start, and clear failures for a busy port or a
 * state file that cannot be read.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { NODEGROUP_CONFIG_KEY, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../../src/constants';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'nodegroup-sandbox.js');
/** A password a shell would mangle unless the env file quotes it. */
const PASSWORD = `it's a $ecret`;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

function run(args: string[]): Running {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] }); // as npx runs it: via the shebang
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { child, stdout: () => out, stderr: () => err };
}

/** Wait until the command prints its ready line (or exits); returns the ks-apiserver URL. */
async function ready(running: Running): Promise<string> {
  const exited = once(running.child, 'exit').then(() => 'exited' as const);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /^sandbox ready at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(running.stdout());
    if (match) return match[1]!;
    const state = await Promise.race([exited, new Promise((r) => setTimeout(() => r('waiting'), 20))]);
    assert.notEqual(state, 'exited', `the sandbox exited early: ${running.stderr()}`);
    assert.ok(Date.now() < deadline, `no ready line; stdout: ${running.stdout()}`);
  }
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  const exited = once(running.child, 'exit');
  running.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

/** Run the command to its end (for start-up failures). */
function runToEnd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;

function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kube-cache'), ...args],
      { timeout: 30_000, env: { ...process.env, KUBECONFIG: '' } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

/** `export NAME='value'` lines back to a map, undoing the shell quoting. */
function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line);
    assert.ok(match, `not an export line: ${line}`);
    env[match[1]!] = match[2]!.replace(/^'|'$/g, '').replaceAll(`'\\''`, `'`);
  }
  return env;
}

const rows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-command-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('nodegroup-sandbox', () => {
  let first: Running;
  let url: string;
  let env: Record<string, string>;
  const state = () => join(dir, 'state.json');

  before(async () => {
    mkdirSync(join(dir, 'one'));
    first = run(['--env-out', join(dir, 'one', 'sandbox.env'), '--state', state(), '--password', PASSWORD]);
    url = await ready(first);
    env = readEnvFile(join(dir, 'one', 'sandbox.env'));
  });
  after(async () => {
    if (first.child.exitCode === null) await stop(first, 'SIGKILL');
  });

  test('writes the env file and a 0600 kubeconfig beside it, and prints no secret', () => {
    assert.deepEqual(Object.keys(env).sort(), [
      'KUBECONFIG',
      'KUBESPHERE_HOST',
      'KUBESPHERE_PASSWORD',
      'KUBESPHERE_USERNAME',
      'KUBESPHERE_VIEWER_PASSWORD',
      'KUBESPHERE_VIEWER_USERNAME',
    ]);
    assert.equal(env.KUBESPHERE_VIEWER_USERNAME, 'viewer');
    assert.ok((env.KUBESPHERE_VIEWER_PASSWORD ?? '').length >= 12, 'a random viewer password');
    assert.equal(env.KUBESPHERE_HOST, url);
    assert.equal(env.KUBESPHERE_USERNAME, 'admin');
    assert.equal(env.KUBESPHERE_PASSWORD, PASSWORD);
    assert.ok(isAbsolute(env.KUBECONFIG!));
    assert.equal(env.KUBECONFIG, join(dir, 'one', 'sandbox.kubeconfig'));
    for (const file of [env.KUBECONFIG!, join(dir, 'one', 'sandbox.env')])
      assert.equal(statSync(file).mode & 0o777, 0o600, file);
    const kubeconfig = parseYaml(readFileSync(env.KUBECONFIG!, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { token: string } }[];
    };
    const cluster = kubeconfig.clusters[0]!.cluster;
    assert.match(cluster.server, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(
      Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
      /BEGIN CERTIFICATE/,
    );
    const token = kubeconfig.users[0]!.user.token;
    assert.ok(token.length > 20);
    const printed = first.stdout() + first.stderr();
    assert.ok(!printed.includes(PASSWORD), 'the password was printed');
    assert.ok(!printed.includes(env.KUBESPHERE_VIEWER_PASSWORD!), "the viewer's password was printed");
    assert.ok(!printed.includes(token), 'the token was printed');
  });

  test('the env file logs in with the OAuth password grant', async () => {
    const res = await fetch(`${env.KUBESPHERE_HOST}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: env.KUBESPHERE_USERNAME!,
        password: env.KUBESPHERE_PASSWORD!,
        client_id: OAUTH_CLIENT_ID,
        client_secret: OAUTH_CLIENT_SECRET,
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { token_type: string }).token_type, 'Bearer');
  });

  test('kubectl over the kubeconfig reads the default fixture', async () => {
    const kc = env.KUBECONFIG!;
    const nodes = rows(await kubectl(kc, 'get', 'nodes'));
    assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const roles = new Map(nodes.slice(1).map((r) => [r[0], r[2]]));
    assert.equal(roles.get('master-1'), 'control-plane');
    assert.ok([...roles.values()].includes('edge'), 'an edge node');
    assert.ok([...roles.values()].includes('worker'), 'a worker node');

    const pods = rows(await kubectl(kc, 'get', 'pods', '-n', 'kubesphere-system'));
    for (const name of ['nodegroup-apiserver', 'nodegroup-controller-manager']) {
      const pod = pods.find((r) => r[0]!.startsWith(`${name}-`));
      assert.deepEqual([pod?.[1], pod?.[2]], ['1/1', 'Running'], name);
    }
    const deployments = rows(await kubectl(kc, 'get', 'deployments', '-n', 'kubesphere-system'));
    assert.deepEqual(
      deployments
        .slice(1)
        .map((r) => [r[0], r[1]])
        .sort(),
      [
        ['nodegroup-apiserver', '1/1'],
        ['nodegroup-controller-manager', '1/1'],
      ],
    );

    const cm = parseYaml(
      await kubectl(kc, 'get', 'cm', 'nodegroup-config', '-n', 'kubesphere-system', '-o', 'yaml'),
    ) as { data: Record<string, string> };
    const config = parseYaml(cm.data[NODEGROUP_CONFIG_KEY]!) as Record<string, { enabled: boolean }>;
    assert.deepEqual(Object.keys(config).sort(), ['ippool', 'policy', 'rbac', 'scheduling']);

    const namespaces = await kubectl(kc, 'get', 'ns', '--show-labels');
    assert.match(namespaces, /demo-app .*kubesphere\.io\/workspace=team-a/);
    assert.match(namespaces, /\nkube-system /);
    const workspaces = rows(await kubectl(kc, 'get', 'workspaces.tenant.kubesphere.io', '-o', 'name'));
    assert.equal(workspaces.length, 2);
    assert.match(
      await kubectl(kc, 'get', 'nodegroups', '-o', 'name'),
      /nodegroup\.infra\.kubesphere\.io\/edge-a/,
    );
  });

  test('a second sandbox on the same port fails with a clear message', async () => {
    const port = new URL(url).port;
    const second = await runToEnd(['--port', port]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });

  test('SIGTERM saves the state; the next start loads it; SIGINT stops too', async () => {
    await kubectl(env.KUBECONFIG!, 'label', 'node', 'worker-1', 'saved=yes');
    assert.equal(await stop(first, 'SIGTERM'), 0);
    assert.match(first.stdout(), /sandbox stopped; state saved to /);
    const saved = JSON.parse(readFileSync(state(), 'utf8')) as {
      objects: { nodes: { metadata: { name: string; labels: Record<string, string> } }[] };
    };
    assert.equal(
      saved.objects.nodes.find((n) => n.metadata.name === 'worker-1')?.metadata.labels.saved,
      'yes',
    );

    mkdirSync(join(dir, 'two'));
    const again = run(['--env-file', join(dir, 'two', 'sandbox.env'), '--state', state()]);
    try {
      await ready(again);
      const kc = readEnvFile(join(dir, 'two', 'sandbox.env')).KUBECONFIG!;
      assert.match(await kubectl(kc, 'get', 'node', 'worker-1', '--show-labels'), /saved=yes/);
    } finally {
      assert.equal(await stop(again, 'SIGINT'), 0);
    }
  });
});

describe('nodegroup-sandbox start-up failures', () => {
  test('a state file that is not a saved state, or cannot be read, exits 1 naming it', async () => {
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, 'not json');
    const bad = await runToEnd(['--state', garbage]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /the sandbox state file .*garbage\.json is not a saved sandbox state/);
    assert.doesNotMatch(bad.stdout, /sandbox ready/);

    const unreadable = await runToEnd(['--state', dir]); // a directory
    assert.equal(unreadable.code, 1);
    assert.match(unreadable.stderr, /cannot read the sandbox state file/);
  });

  test('a bad port is a usage error (exit 2)', async () => {
    const res = await runToEnd(['--port', 'eighty']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /a port is an integer from 0 to 65535/);
  });
});
