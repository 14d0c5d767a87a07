/**
 * The Troubleshooter against a real embedded sandbox: a symptom staged by hand or by a fault is
 * diagnosed, the recommended command is run as written, everything is ledgered and undone back to
 * the snapshot; and the diagnose-only gating: on a target that is not the sandbox nothing is
 * staged, and a repair runs only with the destructive opt-in (and is then kept).
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import { NODE_GROUP_LABEL, NODE_SELECTOR_ANNOTATION } from '../src/constants';
import {
  ALLOW_DESTRUCTIVE_ENV,
  checkInjection,
  diffState,
  expectFinding,
  expectHealthy,
  GuardrailError,
  type RunContext,
  SANDBOX_ONLY_TAG,
  type StateSnapshot,
  sandboxOnlySkipNote,
  snapshotState,
  Troubleshooter,
  troubleshootMode,
  Undoer,
  UnrunnableCommandError,
  undoEntries,
} from '../src/runbook';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { sandboxRunContexts } from './sandbox-run-contexts';

let sandbox: Sandbox;
let baseline: StateSnapshot;
let probe: RunContext;
const contexts = sandboxRunContexts({
  sandbox: () => sandbox,
  reportsPrefix: 'troubleshoot-repair',
  runIdTag: 'trbl',
  waitTimeoutMs: 10_000,
});

function context(kind: 'sandbox' | 'live', params: Record<string, unknown> = {}): RunContext {
  const ctx = contexts.open(kind, params);
  ctx.recorder.startScenario('test', 'test', []);
  ctx.recorder.startStep('test');
  return ctx;
}

async function undoAll(ctx: RunContext, scenario: string): Promise<void> {
  const undoer = new Undoer({ kapi: ctx.kapi, verifier: ctx.verifier }, ctx.ledger.entries());
  const pending = ctx.ledger.pending(scenario);
  assert.deepEqual(await undoEntries(undoer, pending, (e) => ctx.ledger.markUndone(e.seq)), []);
  // Idempotent, as `npm run revert` needs: replaying the same entries changes and fails nothing.
  const after = await snapshotState(ctx.verifier.kube);
  assert.deepEqual(await undoEntries(undoer, pending, () => {}), []);
  assert.deepEqual(diffState(after, await snapshotState(ctx.verifier.kube)), []);
}

const nodeGroupOf = (name: string) =>
  sandbox.store.get('nodes', undefined, name).metadata.labels?.[NODE_GROUP_LABEL];

before(async () => {
  sandbox = await startSandbox();
  probe = context('sandbox');
  baseline = await snapshotState(probe.verifier.kube);
});
afterEach(async () => {
  // Every test leaves the sandbox as it found it (the tests undo their own ledgers).
  assert.deepEqual(diffState(baseline, await snapshotState(probe.verifier.kube)), []);
  assert.deepEqual(sandbox.faults.list(), []);
});
after(async () => {
  await contexts.closeAll();
  await sandbox.stop();
});

describe('what a troubleshooting runbook may do where', () => {
  const sandboxTarget = { kind: 'sandbox' as const, host: 'http://sb', allowDestructive: false };
  const live = { kind: 'live' as const, host: 'https://ks.example', allowDestructive: false };
  const liveAllowed = { ...live, allowDestructive: true };

  test('sandbox: inject and repair; live: diagnose only; live with the opt-in: repair, never inject', () => {
    assert.deepEqual(troubleshootMode(sandboxTarget), {
      name: 'inject-and-repair',
      inject: true,
      repair: true,
    });
    assert.deepEqual(troubleshootMode(live), { name: 'diagnose-only', inject: false, repair: false });
    assert.deepEqual(troubleshootMode(liveAllowed), {
      name: 'diagnose-and-repair',
      inject: false,
      repair: true,
    });
  });

  test('@sandbox-only scenarios are skipped off the sandbox with a note; others run', () => {
    assert.equal(sandboxOnlySkipNote([SANDBOX_ONLY_TAG], sandboxTarget), undefined);
    assert.equal(sandboxOnlySkipNote(['@diagnose-only'], live), undefined);
    for (const target of [live, liveAllowed]) {
      const note = sandboxOnlySkipNote(['@troubleshooting', SANDBOX_ONLY_TAG], target);
      assert.match(
        note ?? '',
        /skipped on https:\/\/ks\.example: .*@sandbox-only.*the @diagnose-only scenario/,
      );
    }
    assert.throws(() => checkInjection(liveAllowed, 'switch on fault x'), GuardrailError);
    assert.doesNotThrow(() => checkInjection(sandboxTarget, 'switch on fault x'));
  });
});

describe('staged symptom, diagnosis, the recommended command, undo', () => {
  test('label drift: the kubectl label the finding recommends puts the node back; all undone', async () => {
    const ctx = context('sandbox');
    const t = new Troubleshooter(ctx, 'drift');
    await t.createNodeGroup('drift-g', {});
    await t.bind('node', 'drift-g', 'worker-3');
    await t.editByHand(['label', 'node', 'worker-3', `${NODE_GROUP_LABEL}-`]);
    assert.equal(nodeGroupOf('worker-3'), undefined);
    const finding = expectFinding(
      await t.diagnose({ nodegroup: 'drift-g' }),
      'node-labels',
      'fail',
      'label drift',
    );
    assert.equal(finding.nextCommand, `kubectl label node worker-3 ${NODE_GROUP_LABEL}=drift-g --overwrite`);
    await t.runRecommended(finding.nextCommand!);
    assert.equal(nodeGroupOf('worker-3'), 'drift-g');
    expectHealthy(await t.diagnose({ nodegroup: 'drift-g', node: 'worker-3' }));
    const pending = ctx.ledger.pending('drift');
    assert.deepEqual(
      pending.map((e) => e.change.op),
      ['patch-object', 'patch-object', 'bind', 'create-nodegroup'],
    );
    assert.deepEqual(pending[0]!.change, {
      op: 'patch-object',
      resource: 'node',
      name: 'worker-3',
      what: `kubectl label node worker-3 ${NODE_GROUP_LABEL}=drift-g --overwrite`,
      restore: { metadata: { labels: { [NODE_GROUP_LABEL]: null } } },
    });
    await undoAll(ctx, 'drift');
  });

  test('controller down: the recommended rollout restart ends the hang and the pending bind applies', async () => {
    const ctx = context('sandbox');
    const t = new Troubleshooter(ctx, 'down');
    await t.createNodeGroup('down-g', {});
    await t.injectFault('controller-paused');
    await t.requestBinding('bind', 'node', 'down-g', 'worker-2');
    await t.verifyPending('node', 'worker-2', 'down-g');
    const finding = expectFinding(
      await t.diagnose({ nodegroup: 'down-g', node: 'worker-2' }),
      'controller-health',
      'fail',
      'nodegroup-controller-manager',
    );
    assert.match(finding.likelyCause ?? '', /node\/worker-2 -> down-g/);
    await t.runRecommended(finding.nextCommand!);
    assert.deepEqual(sandbox.faults.list(), []);
    await t.verifyGroup('node', 'worker-2', 'down-g');
    assert.deepEqual(
      ctx.ledger.pending('down').map((e) => e.change.op),
      ['restart-deployment', 'bind', 'set-fault', 'create-nodegroup'],
    );
    await undoAll(ctx, 'down');
  });

  test('incomplete namespace binding: the recommended bind through the KAPI writes it anew', async () => {
    const ctx = context('sandbox');
    const t = new Troubleshooter(ctx, 'ns');
    await t.createNodeGroup('ns-g', {});
    await t.bind('namespace', 'ns-g', 'monitoring');
    await t.editByHand(['annotate', 'namespace', 'monitoring', `${NODE_SELECTOR_ANNOTATION}-`]);
    const finding = expectFinding(
      await t.diagnose({ nodegroup: 'ns-g', namespace: 'monitoring' }),
      'namespace-workspace',
      'fail',
      `annotation ${NODE_SELECTOR_ANNOTATION} is not`,
    );
    assert.equal(finding.nextCommand, 'nodegroup-api bind namespace --nodegroup ns-g --namespace monitoring');
    await t.runRecommended(finding.nextCommand!);
    await ctx.verifier.until(
      { resource: 'namespace', name: 'monitoring', description: 'scheduling annotation back' },
      (ns) => ns?.metadata.annotations?.[NODE_SELECTOR_ANNOTATION] === `${NODE_GROUP_LABEL}=ns-g`,
    );
    expectHealthy(await t.diagnose({ nodegroup: 'ns-g', namespace: 'monitoring' }));
    assert.deepEqual(
      ctx.ledger.pending('ns').map((e) => e.change.op),
      ['bind', 'patch-object', 'bind', 'create-nodegroup'],
    );
    await undoAll(ctx, 'ns');
  });

  test('a fault ended by the runbook is undone at once and not again by cleanup', async () => {
    const ctx = context('sandbox');
    const t = new Troubleshooter(ctx, 'ippool');
    await t.injectFault('ippool-sync');
    assert.ok(sandbox.faults.isOn('ippool-sync'));
    await t.endFault('ippool-sync');
    assert.ok(!sandbox.faults.isOn('ippool-sync'));
    assert.deepEqual(ctx.ledger.pending('ippool'), []);
    await assert.rejects(t.endFault('ippool-sync'), /was not switched on by this scenario/);
  });

  test('a recommended line the runbook cannot run in full changes nothing', async () => {
    const ctx = context('sandbox');
    const t = new Troubleshooter(ctx, 'half');
    await assert.rejects(
      t.runRecommended(
        'nodegroup-api unbind node --nodegroup edge-a --node worker-1 && kubectl delete node worker-1',
      ),
      UnrunnableCommandError,
    );
    assert.deepEqual(ctx.ledger.entries(), []);
  });
});

describe('diagnose-only on a target that is not the sandbox', () => {
  test('no fault, no hand edit, no repair without the opt-in: refusals name it; reads still run', async () => {
    const ctx = context('live');
    const t = new Troubleshooter(ctx, 'readonly');
    await assert.rejects(t.injectFault('controller-paused'), GuardrailError);
    await assert.rejects(t.editByHand(['label', 'node', 'worker-1', 'a=b']), GuardrailError);
    await assert.rejects(t.requestBinding('bind', 'node', 'edge-a', 'worker-1'), GuardrailError);
    await assert.rejects(
      t.runRecommended(`kubectl label node worker-1 ${NODE_GROUP_LABEL}=edge-a --overwrite`),
      (err: unknown) => {
        assert.ok(err instanceof GuardrailError);
        assert.match(err.message, /diagnose-only/);
        assert.match(err.message, new RegExp(`${ALLOW_DESTRUCTIVE_ENV}=1`));
        return true;
      },
    );
    const [pods] = await t.runRecommended('kubectl get pods -n kubesphere-system | grep nodegroup');
    assert.match(pods ?? '', /nodegroup-controller-manager-/);
    assert.ok((pods ?? '').split('\n').every((line) => line.includes('nodegroup')));
    const notes = await t.repairWhereAllowed([
      {
        check: { id: 'node-labels', title: 'Node labels', order: 3 },
        status: 'fail',
        summary: 'x',
        evidence: { objects: [], events: [] },
        nextCommand: 'nodegroup-api unbind node --nodegroup edge-a --node worker-1',
      },
    ]);
    assert.match(
      notes[0] ?? '',
      /^not repaired on .*Run it yourself once the impact is confirmed: nodegroup-api unbind/,
    );
    assert.deepEqual(ctx.ledger.entries(), []);
    assert.deepEqual(sandbox.faults.list(), []);
  });

  test('with the opt-in a repair runs and is kept; staging is still refused', async () => {
    const staging = context('sandbox');
    const stage = new Troubleshooter(staging, 'stage');
    await stage.createNodeGroup('kept-g', {});
    await stage.bind('node', 'kept-g', 'worker-1');
    await stage.editByHand(['label', 'node', 'worker-1', `${NODE_GROUP_LABEL}-`]);

    const ctx = context('live', { allowDestructive: true });
    const t = new Troubleshooter(ctx, 'repair');
    await assert.rejects(t.injectFault('ippool-sync'), GuardrailError);
    const diagnosis = await t.diagnose({ nodegroup: 'kept-g' });
    const notes = await t.repairWhereAllowed(diagnosis.findings.filter((f) => f.check.id === 'node-labels'));
    assert.match(notes.at(-1) ?? '', /the repair is kept/);
    assert.equal(nodeGroupOf('worker-1'), 'kept-g');
    assert.equal(ctx.ledger.entries().length, 1, 'ledgered');
    assert.deepEqual(ctx.ledger.pending('repair'), [], 'kept: not undone by cleanup');

    await undoAll(staging, 'stage');
  });
});
