/**
 * A run killed in the middle of a scenario leaves a ledger that `revert` fully undoes: the
 * runner (live profile) targets a sandbox of this test; a latency fault holds the bind request;
 * once the ledger has the bind entry the runner is killed with SIGKILL;
 * `revert --run-id` then restores the pre-run snapshot, and a second revert changes nothing.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { revert } from '../../scripts/revert';
import { KubeReader } from '../../src/kube/reader';
import { RESOURCES } from '../../src/kube/resources';
import { diffState, ledgerDir, snapshotState } from '../../src/runbook';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const root = join(__dirname, '..', '..', '..');
let sandbox: Sandbox;
const scratch = mkdtempSync(join(tmpdir(), 'runbook-revert-'));

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Poll a cheap local condition (a file) until it holds or the deadline passes. */
async function until(what: string, holds: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a run killed mid-scenario is fully undone by revert, and revert is idempotent', async () => {
  const kube = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
  const baseline = await snapshotState(kube);
  const runId = '260101000000-killed';
  const env = {
    ...process.env,
    ...sandbox.env,
    HOME: scratch,
    RUNBOOK_RUN_ID: runId,
    RUNBOOK_REPORTS_DIR: join(scratch, 'reports'),
  };
  // Hold bind requests long enough to kill the runner while one is in flight.
  sandbox.faults.set('latency', { pattern: '/nodes/', method: 'POST', ms: 1500 });
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist/scripts/run-runbooks.js'),
      '-p',
      'live',
      'features/binding/node.feature:5',
      '--world-parameters',
      JSON.stringify({ vars: { NODE: 'worker-3' } }),
    ],
    { cwd: root, env, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const dir = ledgerDir(join(scratch, 'reports'), runId);
  const ledgerText = () => {
    try {
      return readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('');
    } catch {
      return '';
    }
  };
  await until('the bind entry in the ledger', () => ledgerText().includes('"op":"bind"'));
  child.kill('SIGKILL');
  await exited;
  sandbox.faults.clear();
  const group = /"op":"create-nodegroup","name":"([^"]+)"/.exec(ledgerText())?.[1];
  assert.ok(group, 'the ledger names the created group');
  // The held bind may or may not land (the sandbox drops a request whose client is gone): revert
  // must cope with both, so only the group the run created is certain.
  assert.ok(
    await kube.get(RESOURCES.nodegroup, group),
    `${ledgerText()} ${JSON.stringify((await kube.list(RESOURCES.nodegroup)).items.map((g) => g.metadata.name))}`,
  );
  assert.notDeepEqual(diffState(baseline, await snapshotState(kube)), []);

  const out: string[] = [];
  const write = { write: (t: string) => out.push(t) };
  const revertEnv = { ...env, KUBECONFIG: sandbox.kubeconfigPath };
  assert.equal(
    await revert(['--run-id', runId, '--reports', join(scratch, 'reports')], revertEnv, write),
    0,
    out.join(''),
  );
  assert.match(out.join(''), /2 change\(s\) to undo/);
  assert.deepEqual(diffState(baseline, await snapshotState(kube)), []);

  out.length = 0;
  assert.equal(await revert(['--run-id', runId, '--reports', join(scratch, 'reports')], revertEnv, write), 0);
  assert.match(out.join(''), /0 change\(s\) to undo/);
  assert.deepEqual(diffState(baseline, await snapshotState(kube)), []);
});

test('revert refuses arguments it does not take, before reading any ledger', async () => {
  const reports = join(scratch, 'no-reports'); // would say "no run to revert" if it got that far
  const usage = /usage: npm run revert -- \[--run-id ID\] \[--reports DIR\]/;
  const silent = { write: () => {} };
  // A bare run id is not taken for "the latest run".
  await assert.rejects(revert(['260101000000-abcdef', '--reports', reports], {}, silent), (err: Error) => {
    assert.match(err.message, /Unexpected argument '260101000000-abcdef'/);
    assert.match(err.message, usage);
    return true;
  });
  await assert.rejects(revert(['--run', 'x', '--reports', reports], {}, silent), /Unknown option '--run'/);
  await assert.rejects(
    revert(['--reports', reports, '--run-id'], {}, silent),
    /'--run-id <value>' argument missing/,
  );
});
