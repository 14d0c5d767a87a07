/**
 * A fleet run through a sandbox host with three members, one cut off by the member-unreachable
 * fault: the reachable members' scenarios pass, the cut-off member's are Environment problems
 * (RUNBOOK_ENV_UNREACHABLE), one results folder holds a suite per cluster, the summary has the
 * cluster x runbook table, and the run ends well before its deadline. Unknown cluster names are
 * refused with the known ones, before anything runs.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'dist', 'scripts', 'nodegroup-runbooks.js');
const FEATURE = join(ROOT, 'features', 'nodegroup', 'inspect.feature');
const DEADLINE_S = 90;

let sandbox: Sandbox;
let dir: string;
let envFile: string;

function run(args: string[]): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBESPHERE_USERNAME: sandbox.username,
    KUBESPHERE_PASSWORD: sandbox.password,
    RUNBOOK_REPORTS_DIR: join(dir, 'reports'),
  };
  for (const key of ['RUNBOOK_ENV', 'RUNBOOK_RUN_ID', 'RUNBOOK_ALLURE_RESULTS', 'RUNBOOK_ALLURE_RESULTS_RUN'])
    delete env[key];
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'run', '--env', envFile, ...args], { cwd: dir, env });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('close', (code) => done({ code, out, ms: Date.now() - started }));
  });
}

before(async () => {
  sandbox = await startSandbox({ members: 3 });
  dir = mkdtempSync(join(tmpdir(), 'fleet-run-'));
  envFile = join(dir, 'fleet.yaml');
  writeFileSync(
    envFile,
    `description: sandbox host with members\nhost: ${sandbox.url}\nkubeconfig: ${sandbox.kubeconfigPath}\n` +
      'vars: {NODEGROUP: edge-a, NODE: worker-3, OTHER_NODE: edge-node-2}\n',
  );
});
after(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Result {
  name: string;
  status: string;
  statusDetails?: { message?: string };
  labels: { name: string; value: string }[];
}

describe('fleet run', () => {
  test('3 members, one unreachable: its scenarios are Environment problems, the others pass', async () => {
    sandbox.faults.set('member-unreachable', { cluster: 'member-2' });
    const res = await run(['--clusters', 'all', '--cluster-timeout', String(DEADLINE_S), FEATURE]);
    sandbox.faults.remove('member-unreachable');
    assert.equal(res.code, 1, res.out);
    assert.ok(res.ms < DEADLINE_S * 1000, `took ${res.ms} ms`);
    const resultsDir = join(dir, 'reports', 'allure-results');
    const results = readdirSync(resultsDir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Result);
    const of = (cluster: string) =>
      results.filter((r) => r.labels.some((l) => l.name === 'parentSuite' && l.value === cluster));
    const planned = (readFileSync(FEATURE, 'utf8').match(/^\s*Scenario( Outline)?:/gm) ?? []).length;
    for (const member of ['member-1', 'member-3']) {
      assert.equal(of(member).length, planned, member);
      assert.deepEqual(
        of(member)
          .filter((r) => r.status !== 'passed')
          .map((r) => r.name),
        [],
        `${member}: ${res.out}`,
      );
    }
    assert.equal(of('member-2').length, planned);
    for (const r of of('member-2')) {
      assert.equal(r.status, 'broken');
      assert.match(r.statusDetails?.message ?? '', /^\[RUNBOOK_ENV_UNREACHABLE\] .*member-2 is not Ready/);
    }
    const summary = readFileSync(join(dir, 'reports', 'summary.md'), 'utf8');
    assert.match(summary, /\| runbook \| member-1 \| member-2 \| member-3 \|/);
    assert.match(
      summary,
      /\| Inspect nodegroups \| ok \d+\/\d+ \| FAIL 0\/\d+ RUNBOOK_ENV_UNREACHABLE \| ok \d+\/\d+ \|/,
    );
  });

  test('unknown cluster names are refused with the known members; nothing runs', async () => {
    const res = await run(['--clusters', 'member-1,edge-9', FEATURE]);
    assert.equal(res.code, 21, res.out);
    assert.match(res.out, /unknown cluster edge-9: the member clusters are member-1, member-2, member-3/);
    assert.doesNotMatch(res.out, /fleet run \d/);
  });

  test('a malformed --clusters value is refused before anything is read', async () => {
    const res = await run(['--clusters', 'member-1,member-1', FEATURE]);
    assert.equal(res.code, 21);
    assert.match(res.out, /--clusters names member-1 twice/);
  });
});
