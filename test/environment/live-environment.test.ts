/**
 * Live-like first: two standalone sandboxes (`nodegroup-sandbox --env-file`), each reached as a
 * live target through an environment file, by `npm run runbooks` as a user runs it. A readonly
 * run through `--env` (the identity the server reports in the run's environment facts), variables
 * that a bare NODE (the node binary's path, as npm sets it) cannot hijack, a missing variable
 * named with the three ways to set it, and the bad inputs stopped before any scenario with their
 * own exit codes: host and kubeconfig of two clusters, a missing context, an unknown environment,
 * an inline secret, a syntax error; --allow-destructive on the sandbox said to be harmless.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { revert } from '../../scripts/revert';
import { Ledger, readRunLedgers } from '../../src/runbook/ledger/ledger';
import { runCli } from '../cli-helpers';
import { type Standalone, startStandalone, writeEnvironmentFile } from './standalone-sandbox';

const ROOT = join(__dirname, '..', '..', '..');
const RUNNER = join(ROOT, 'dist', 'scripts', 'run-runbooks.js');
const INSPECT = 'features/nodegroup/inspect.feature';

const dir = mkdtempSync(join(tmpdir(), 'live-env-'));
const envs = join(dir, 'environments');
mkdirSync(join(dir, 'home'));
let a: Standalone;
let b: Standalone;

before(async () => {
  [a, b] = await Promise.all([startStandalone(join(dir, 'a')), startStandalone(join(dir, 'b'))]);
  writeEnvironmentFile(envs, 'a', {
    host: a.url,
    kubeconfig: a.exports['KUBECONFIG']!,
    vars: { NODEGROUP: 'edge-a' },
  });
  writeEnvironmentFile(envs, 'mixed', { host: a.url, kubeconfig: b.exports['KUBECONFIG']! });
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
}

/** The runner as a user runs it, with a clean environment (nothing of this shell's targets). */
function runbooks(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KUBESPHERE_|KUBECONFIG|RUNBOOK_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: join(dir, 'home'),
    RUNBOOK_ENVIRONMENTS_DIR: envs,
    RUNBOOK_REPORTS_DIR: join(dir, 'reports'),
    SANDBOX_USER: a.exports['KUBESPHERE_USERNAME']!,
    SANDBOX_PASSWORD: a.exports['KUBESPHERE_PASSWORD']!,
    ...extra,
  });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RUNNER, ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
      },
    );
  });
}

describe('a readonly run through an environment file', () => {
  test('NODE set to the node binary changes nothing; RUNBOOK_VAR_NODE sets it; the identity is the server’s', async () => {
    const run = await runbooks(['--env', 'a', '-p', 'readonly', INSPECT], {
      NODE: process.execPath,
      RUNBOOK_VAR_NODE: 'worker-3',
      RUNBOOK_RUN_ID: 'live-env-ok',
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /4 scenarios? \(4 passed\)|4 passed/);
    const facts = JSON.parse(
      readFileSync(join(dir, 'reports', 'runs', 'live-env-ok', 'environment-worker-0.json'), 'utf8'),
    );
    assert.equal(facts['target.url'], a.url);
    assert.equal(facts.user, 'admin (GET /oauth/userinfo)');
    assert.equal(facts.environment, 'a');
  });

  test('a missing variable is named with the three ways to set it; a bare NODE is not one', async () => {
    const run = await runbooks(['--env', 'a', '-p', 'readonly', INSPECT], { NODE: process.execPath });
    assert.equal(run.code, 14, run.out);
    assert.match(run.out, /3 passed/);
    assert.match(run.out, /needs \$\{NODE\}, which has no value \(nothing was changed on the target\)/);
    assert.match(run.out, /vars: \{ NODE: \.\.\. \} in the environment file/);
    assert.match(run.out, /RUNBOOK_VAR_NODE=\.\.\./);
    // The console wraps long reasons: read the message as one line.
    const unwrapped = run.out.replace(/\n\s+/g, ' ');
    assert.match(unwrapped, /--world-parameters '\{"vars":\{"NODE":"\.\.\."\}\}'/);
    assert.ok(!run.out.includes(`output includes "${process.execPath}"`), 'NODE was read');
  });

  test('on the embedded sandbox, NODE is the fixture’s; --allow-destructive is harmless and says so', async () => {
    const run = await runbooks(['--allow-destructive', INSPECT], {
      NODE: process.execPath,
      RUNBOOK_ALLURE: 'off',
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /note: --allow-destructive changes nothing on the sandbox/);
  });
});

describe('stopped before any scenario, each with its own exit code', () => {
  test('a host and a kubeconfig of two clusters: both named', async () => {
    const run = await runbooks(['--env', 'mixed', '-p', 'readonly', INSPECT], { RUNBOOK_ALLURE: 'off' });
    assert.equal(run.code, 16, run.out);
    const kubeB = /server: (https:\/\/\S+)/.exec(readFileSync(b.exports['KUBECONFIG']!, 'utf8'))![1]!;
    assert.ok(run.out.includes(`the KubeSphere host ${a.url}`), run.out);
    assert.ok(run.out.includes(`server ${kubeB}`), run.out);
    assert.match(
      run.out,
      /reach different clusters: namespace kube-system has uid \S+ through KubeSphere and \S+ through the kubeconfig/,
    );
    assert.match(run.out, /no scenario ran/);
  });

  test('a context missing from the kubeconfig lists its contexts', async () => {
    const file = writeEnvironmentFile(envs, 'nocontext', {
      host: a.url,
      kubeconfig: a.exports['KUBECONFIG']!,
    });
    writeFileSync(file, `${readFileSync(file, 'utf8')}context: prod\n`);
    const run = await runbooks(['--env', 'nocontext', '-p', 'readonly', INSPECT], { RUNBOOK_ALLURE: 'off' });
    assert.equal(run.code, 15, run.out);
    assert.match(run.out, /has no context "prod"; its contexts: sandbox/);
  });

  test('an unknown environment, an inline secret, a syntax error', async () => {
    const unknown = await runbooks(['--env', 'staging', INSPECT]);
    assert.equal(unknown.code, 10, unknown.out);
    assert.match(unknown.out, /no environment "staging": known environments: sandbox, a, mixed/);
    assert.match(unknown.out, /nothing was run/);

    writeFileSync(
      join(envs, 'leaky.yaml'),
      `host: ${a.url}\ncredentials:\n  password: "${a.exports['KUBESPHERE_PASSWORD']}"\n`,
    );
    const leaky = await runbooks(['--env', 'leaky', INSPECT]);
    assert.equal(leaky.code, 12, leaky.out);
    assert.match(leaky.out, /leaky\.yaml: "credentials.password" holds a secret value/);
    assert.ok(!leaky.out.includes(a.exports['KUBESPHERE_PASSWORD']!), 'the password was echoed');
    rmSync(join(envs, 'leaky.yaml'));

    writeFileSync(join(envs, 'typo.yaml'), `host: ${a.url}\nvars:\n  NODE: "worker-3\n`);
    const typo = await runbooks(['--env', 'typo', INSPECT]);
    assert.equal(typo.code, 11, typo.out);
    assert.match(typo.out, /typo\.yaml:\d+:\d+: not valid YAML/);
    rmSync(join(envs, 'typo.yaml'));
  });
});

describe('nodegroup-api and revert take --env too', () => {
  const cliEnv = () => ({
    HOME: join(dir, 'home'),
    RUNBOOK_ENVIRONMENTS_DIR: envs,
    SANDBOX_USER: a.exports['KUBESPHERE_USERNAME']!,
    SANDBOX_PASSWORD: a.exports['KUBESPHERE_PASSWORD']!,
  });

  test("nodegroup-api --env a: the environment's host and credentials, not the shell's token", async () => {
    const run = await runCli(['--env', 'a', '-q', 'nodegroup', 'list'], {
      ...cliEnv(),
      KUBESPHERE_HOST: 'http://127.0.0.1:9',
      KUBESPHERE_TOKEN: 'a-token-of-another-target',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"edge-a"/);
    const unknown = await runCli(['--env', 'nope', 'nodegroup', 'list'], cliEnv());
    assert.equal(unknown.code, 10);
    assert.match(unknown.stderr, /no environment "nope": known environments: sandbox, a, mixed/);
  });

  test('revert --env of another host than the run was made on is refused, nothing sent', async () => {
    const reports = join(dir, 'revert-reports');
    const ledger = Ledger.open(reports, {
      runId: 'run-on-b',
      worker: '0',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      target: { kind: 'live', host: b.url },
    });
    ledger.record('s1', { op: 'bind', kind: 'node', group: 'edge-a', target: 'worker-2' });
    const lines: string[] = [];
    const out = { write: (t: string) => lines.push(t) };
    const code = await revert(['--env', 'a', '--run-id', 'run-on-b', '--reports', reports], cliEnv(), out);
    assert.equal(code, 1, lines.join(''));
    assert.match(
      lines.join(''),
      new RegExp(`was made on ${b.url}, but --env a is ${a.url}.*nothing was sent`),
    );
    assert.equal(readRunLedgers(reports, 'run-on-b')[0]!.pending.length, 1, 'nothing undone');
    const unknown = await revert(['--env', 'nope'], cliEnv(), out);
    assert.equal(unknown, 10);
  });
});
