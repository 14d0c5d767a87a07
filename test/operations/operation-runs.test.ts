/**
 * @operation runbooks against a standalone sandbox used as a live environment (`--env open`), run
 * as a user runs them: the change is still there after the run, listed with the revert command,
 * and gone after `revert`; revert refuses an object someone changed since (exit 20, nothing sent)
 * and overwrites it with --force; a run killed mid-run (SIGKILL during a step) is reverted to
 * the pre-run state from the ledger it left on disk.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { REVERT_CONFLICT_EXIT, revert } from '../../scripts/revert';
import { nodegroupRequests } from '../../src/kapi/nodegroups';
import { diffState, type RunContext, readRunLedgers, snapshotState } from '../../src/runbook';
import { groupOf, type LiveTarget, startLiveTarget } from './live-target';

const ROOT = join(__dirname, '..', '..', '..');
const RUNNER = join(ROOT, 'dist', 'scripts', 'run-runbooks.js');
const ONBOARD = 'features/operations/onboard-site.feature';

let t: LiveTarget;
let reader: RunContext;

before(async () => {
  t = await startLiveTarget('operation-runs-');
  reader = t.someoneElse();
});
after(() => t?.close());

const siteVars = (site: string, node: string, namespace: string) => ({
  RUNBOOK_VAR_SITE: site,
  RUNBOOK_VAR_SITE_MANAGER: 'admin',
  RUNBOOK_VAR_SITE_NODE: node,
  RUNBOOK_VAR_SITE_NAMESPACE: namespace,
  RUNBOOK_ALLURE: 'off',
});

function runbooks(args: string[], extra: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [RUNNER, ...args],
      { cwd: ROOT, env: t.env(extra), timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
      },
    );
  });
}

async function revertRun(runId: string, ...more: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await revert(['--env', 'open', '--run-id', runId, '--reports', t.reports, ...more], t.env(), {
    write: (s: string) => lines.push(s),
  });
  return { code, out: lines.join('') };
}

const groupExists = async (name: string) => (await reader.verifier.get('nodegroup', name)) !== undefined;

test('an @operation run keeps its change, lists it with the revert command; revert restores the pre-run state', async () => {
  const baseline = await snapshotState(reader.verifier.kube);
  const run = await runbooks(['--env', 'open', ONBOARD], {
    ...siteVars('op-site', 'edge-node-1', 'monitoring'),
    RUNBOOK_RUN_ID: 'op-keep',
  });
  assert.equal(run.code, 0, run.out);
  // Names as written (no run suffix), changes still there after the run.
  assert.ok(await groupExists('op-site'));
  assert.equal(await groupOf(reader, 'node', 'edge-node-1'), 'op-site');
  assert.equal(await groupOf(reader, 'namespace', 'monitoring'), 'op-site');
  assert.match(run.out, /kept 3 change\(s\) \(@operation\):/);
  assert.match(run.out, /nodegroup-api bind node --nodegroup op-site --node edge-node-1/);
  assert.match(run.out, /undo them with: npm run revert -- --run-id op-keep/);
  const md = readFileSync(join(t.reports, 'summary.md'), 'utf8');
  assert.match(md, /The run kept 3 change\(s\)/);
  assert.match(md, /npm run revert -- --run-id op-keep/);
  // The ledger keeps each change with the before-state it was made from.
  const [ledger] = readRunLedgers(t.reports, 'op-keep');
  const bindEntry = ledger!.pending.find((e) => e.change.op === 'bind' && e.change.kind === 'node');
  assert.equal(bindEntry?.seen?.resource, 'node');
  assert.match(bindEntry?.seen?.resourceVersion ?? '', /^\d+$/);

  const reverted = await revertRun('op-keep');
  assert.equal(reverted.code, 0, reverted.out);
  assert.equal(await groupExists('op-site'), false);
  assert.deepEqual(diffState(baseline, await snapshotState(reader.verifier.kube)), []);
});

test('revert refuses an object changed since the run (exit 20, nothing sent), --force overwrites', async () => {
  const run = await runbooks(['--env', 'open', ONBOARD], {
    ...siteVars('op-site-2', 'edge-node-1', 'monitoring'),
    RUNBOOK_RUN_ID: 'op-conflict',
  });
  assert.equal(run.code, 0, run.out);
  // Someone else moves the node the run bound, and binds another node to the run's group.
  await reader.kapi.call(nodegroupRequests.bind('node', 'edge-a', 'edge-node-1'));
  await reader.kapi.call(nodegroupRequests.bind('node', 'op-site-2', 'worker-2'));
  const pendingBefore = readRunLedgers(t.reports, 'op-conflict')[0]!.pending.length;
  const refused = await revertRun('op-conflict');
  assert.equal(refused.code, REVERT_CONFLICT_EXIT, refused.out);
  assert.match(
    refused.out,
    /CHANGED SINCE THE RUN node edge-node-1: now in nodegroup edge-a \(the run left it in nodegroup op-site-2\)/,
  );
  assert.match(
    refused.out,
    /CHANGED SINCE THE RUN nodegroup op-site-2: node worker-2 was bound to it since the run \(revert would unbind it\)/,
  );
  assert.match(refused.out, /refusing to overwrite 2 object\(s\)/);
  assert.match(refused.out, /nothing was sent.*npm run revert -- --run-id op-conflict --force/);
  assert.equal(await groupOf(reader, 'node', 'worker-2'), 'op-site-2');
  assert.ok(await groupExists('op-site-2'), 'revert changed something while refusing');
  assert.equal(await groupOf(reader, 'namespace', 'monitoring'), 'op-site-2');
  assert.equal(readRunLedgers(t.reports, 'op-conflict')[0]!.pending.length, pendingBefore);

  const forced = await revertRun('op-conflict', '--force');
  assert.equal(forced.code, 0, forced.out);
  assert.match(forced.out, /--force: overwriting node edge-node-1/);
  assert.equal(await groupExists('op-site-2'), false);
  assert.equal(await groupOf(reader, 'namespace', 'monitoring'), undefined);
  assert.equal(
    await groupOf(reader, 'node', 'worker-2'),
    undefined,
    '--force overwrote what someone else bound',
  );
  await reader.kapi.call(nodegroupRequests.unbind('node', 'edge-a', 'edge-node-1'));
});

/** Change lines of a run's ledger files on disk now. */
function changeLines(runId: string): number {
  const dir = join(t.reports, 'ledger', runId);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('')
    .split('\n')
    .filter((l) => l.includes('"type":"change"')).length;
}

test('a run killed mid-run is reverted to the pre-run state', async () => {
  const baseline = await snapshotState(reader.verifier.kube);
  const features = join(t.dir, 'features');
  mkdirSync(features, { recursive: true });
  const hang = join(features, 'hang.feature');
  writeFileSync(
    hang,
    [
      '@operation',
      'Feature: an operation that hangs after two changes',
      '  Scenario: create, bind, then wait for a state that never comes',
      '    When I create nodegroup "${SITE}" with alias "Hang" and manager "admin"',
      '    And I bind node "${SITE_NODE}" to nodegroup "${SITE}"',
      '    Then nodegroup "${SITE}" is in state "never"',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [RUNNER, '--env', 'open', '--world-parameters', '{"waitTimeoutMs":600000}', hang],
    {
      cwd: ROOT,
      env: t.env({ ...siteVars('op-killed', 'worker-1', 'demo-app'), RUNBOOK_RUN_ID: 'op-killed' }),
      stdio: 'ignore',
    },
  );
  const exited = once(child, 'exit');
  // Both changes on disk and made: the run is inside the endless wait.
  while (changeLines('op-killed') < 2 || (await groupOf(reader, 'node', 'worker-1')) !== 'op-killed') {
    assert.equal(child.exitCode, null, 'the run ended before it was killed');
    await delay(20);
  }
  child.kill('SIGKILL');
  const [, signal] = await exited;
  assert.equal(signal, 'SIGKILL');
  assert.ok(await groupExists('op-killed'));

  const reverted = await revertRun('op-killed');
  assert.equal(reverted.code, 0, reverted.out);
  assert.match(reverted.out, /2 change\(s\) to undo/);
  assert.deepEqual(diffState(baseline, await snapshotState(reader.verifier.kube)), []);
});
