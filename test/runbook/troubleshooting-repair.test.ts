/**
 * Troubleshooting operations against a real embedded sandbox: a symptom staged by hand or by a
 * fault is diagnosed, the repair the finding carries is run (its command line is what the finding shows), everything is ledgered and undone back to
 * the snapshot; and the diagnose-only gating: on a target that is not the sandbox nothing is
 * staged, and a repair runs only with the destructive opt-in (and is then kept).
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import { NODE_GROUP_LABEL, NODE_SELECTOR_ANNOTATION } from '../../src/constants';
import { repairs } from '../../src/diagnose/repairs';
import {
  ALLOW_DESTRUCTIVE_ENV,
  bind,
  checkInjection,
  createNodeGroup,
  diagnoseTarget,
  diffState,
  editByHand,
  endFault,
  expectFinding,
  expectHealthy,
  Flow,
  GuardrailError,
  injectFault,
  type RunContext,
  removeByHand,
  repairWhereAllowed,
  requestBinding,
  runRepair,
  SANDBOX_ONLY_TAG,
  type StateSnapshot,
  sandboxOnlySkipNote,
  snapshotState,
  troubleshootMode,
  Undoer,
  undoEntries,
  verifyGroup,
  verifyPending,
} from '../../src/runbook';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { sandboxRunContexts } from '../sandbox-run-contexts';

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
    const t = new Flow(ctx, 'drift');
    await createNodeGroup(t, 'drift-g', {});
    await bind(t, 'node', 'drift-g', 'worker-3');
    await removeByHand(t, 'label', 'node', 'worker-3', NODE_GROUP_LABEL);
    assert.equal(nodeGroupOf('worker-3'), undefined);
    const finding = expectFinding(
      await diagnoseTarget(t, { nodegroup: 'drift-g' }),
      'node-labels',
      'fail',
      'label drift',
    );
    assert.equal(finding.nextCommand, `kubectl label node worker-3 ${NODE_GROUP_LABEL}=drift-g --overwrite`);
    await runRepair(t, finding.repair!);
    assert.equal(nodeGroupOf('worker-3'), 'drift-g');
    expectHealthy(await diagnoseTarget(t, { nodegroup: 'drift-g', node: 'worker-3' }));
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
      edit: { type: 'labels', set: { [NODE_GROUP_LABEL]: 'drift-g' } },
      restore: { metadata: { labels: { [NODE_GROUP_LABEL]: null } } },
    });
    await undoAll(ctx, 'drift');
  });

  test('controller down: the recommended rollout restart ends the hang and the pending bind applies', async () => {
    const ctx = context('sandbox');
    const t = new Flow(ctx, 'down');
    await createNodeGroup(t, 'down-g', {});
    await injectFault(t, 'controller-paused');
    await requestBinding(t, 'bind', 'node', 'down-g', 'worker-2');
    await verifyPending(t, 'node', 'worker-2', 'down-g');
    const finding = expectFinding(
      await diagnoseTarget(t, { nodegroup: 'down-g', node: 'worker-2' }),
      'controller-health',
      'fail',
      'nodegroup-controller-manager',
    );
    assert.match(finding.likelyCause ?? '', /node\/worker-2 -> down-g/);
    await runRepair(t, finding.repair!);
    assert.deepEqual(sandbox.faults.list(), []);
    await verifyGroup(t, 'node', 'worker-2', 'down-g');
    assert.deepEqual(
      ctx.ledger.pending('down').map((e) => e.change.op),
      ['restart-deployment', 'bind', 'set-fault', 'create-nodegroup'],
    );
    await undoAll(ctx, 'down');
  });

  test('incomplete namespace binding: the recommended bind through the KAPI writes it anew', async () => {
    const ctx = context('sandbox');
    const t = new Flow(ctx, 'ns');
    await createNodeGroup(t, 'ns-g', {});
    await bind(t, 'namespace', 'ns-g', 'monitoring');
    await removeByHand(t, 'annotation', 'namespace', 'monitoring', NODE_SELECTOR_ANNOTATION);
    const finding = expectFinding(
      await diagnoseTarget(t, { nodegroup: 'ns-g', namespace: 'monitoring' }),
      'namespace-workspace',
      'fail',
      `annotation ${NODE_SELECTOR_ANNOTATION} is not`,
    );
    assert.equal(finding.nextCommand, 'nodegroup-api bind namespace --nodegroup ns-g --namespace monitoring');
    await runRepair(t, finding.repair!);
    await ctx.verifier.until(
      { resource: 'namespace', name: 'monitoring', description: 'scheduling annotation back' },
      (ns) => ns?.metadata.annotations?.[NODE_SELECTOR_ANNOTATION] === `${NODE_GROUP_LABEL}=ns-g`,
    );
    expectHealthy(await diagnoseTarget(t, { nodegroup: 'ns-g', namespace: 'monitoring' }));
    assert.deepEqual(
      ctx.ledger.pending('ns').map((e) => e.change.op),
      ['bind', 'patch-object', 'bind', 'create-nodegroup'],
    );
    await undoAll(ctx, 'ns');
  });

  test('a fault ended by the runbook is undone at once and not again by cleanup', async () => {
    const ctx = context('sandbox');
    const t = new Flow(ctx, 'ippool');
    await injectFault(t, 'ippool-sync');
    assert.ok(sandbox.faults.isOn('ippool-sync'));
    await endFault(t, 'ippool-sync');
    assert.ok(!sandbox.faults.isOn('ippool-sync'));
    assert.deepEqual(ctx.ledger.pending('ippool'), []);
    await assert.rejects(endFault(t, 'ippool-sync'), /was not switched on by this scenario/);
  });

  test('switching a fault off is an action too: its undo switches it on again, with its options', async () => {
    const ctx = context('sandbox');
    const t = new Flow(ctx, 'clear');
    await injectFault(t, 'kapi-errors', { pattern: '/never-matches', status: 503, count: 5 });
    const before = (await t.faults().get('kapi-errors'))?.options;
    await t.act({ op: 'clear-fault', name: 'kapi-errors', ...(before ? { before } : {}) });
    assert.equal(await t.faults().get('kapi-errors'), undefined);
    const [cleared, set] = ctx.ledger.pending('clear');
    assert.deepEqual([cleared?.change.op, set?.change.op], ['clear-fault', 'set-fault']);
    await new Undoer({ kapi: ctx.kapi, verifier: ctx.verifier }, []).undo(cleared!.change);
    assert.deepEqual((await t.faults().get('kapi-errors'))?.options, before);
    ctx.ledger.markUndone(cleared!.seq);
    await undoAll(ctx, 'clear');
  });

  test('a repair the runbook cannot run in full changes nothing', async () => {
    const ctx = context('sandbox');
    const t = new Flow(ctx, 'half');
    await assert.rejects(
      runRepair(t, [...repairs.unbind('node', 'edge-a', 'worker-1'), { op: 'set-fault', name: 'latency' }]),
      /a repair does not switch sandbox faults/,
    );
    assert.deepEqual(ctx.ledger.entries(), []);
  });
});

describe('diagnose-only on a target that is not the sandbox', () => {
  test('no fault, no hand edit, no repair without the opt-in: refusals name it; reads still run', async () => {
    const ctx = context('live');
    const t = new Flow(ctx, 'readonly');
    await assert.rejects(injectFault(t, 'controller-paused'), GuardrailError);
    await assert.rejects(
      editByHand(t, { resource: 'node', name: 'worker-1' }, { type: 'labels', set: { a: 'b' } }),
      GuardrailError,
    );
    await assert.rejects(requestBinding(t, 'bind', 'node', 'edge-a', 'worker-1'), GuardrailError);
    await assert.rejects(
      runRepair(t, repairs.label('node', 'worker-1', { [NODE_GROUP_LABEL]: 'edge-a' })),
      (err: unknown) => {
        assert.ok(err instanceof GuardrailError);
        assert.match(err.message, /diagnose-only/);
        assert.match(err.message, new RegExp(`${ALLOW_DESTRUCTIVE_ENV}=1`));
        return true;
      },
    );
    const [pods] = await runRepair(t, repairs.controllerPods());
    assert.match(pods ?? '', /nodegroup-controller-manager-/);
    assert.ok((pods ?? '').split('\n').every((line) => line.includes('nodegroup')));
    const notes = await repairWhereAllowed(t, [
      {
        check: { id: 'node-labels', title: 'Node labels', order: 3 },
        status: 'fail',
        summary: 'x',
        evidence: { objects: [], events: [] },
        repair: repairs.unbind('node', 'edge-a', 'worker-1'),
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
    const stage = new Flow(staging, 'stage');
    await createNodeGroup(stage, 'kept-g', {});
    await bind(stage, 'node', 'kept-g', 'worker-1');
    await removeByHand(stage, 'label', 'node', 'worker-1', NODE_GROUP_LABEL);

    const ctx = context('live', { allowDestructive: true });
    const t = new Flow(ctx, 'repair');
    await assert.rejects(injectFault(t, 'ippool-sync'), GuardrailError);
    const diagnosis = await diagnoseTarget(t, { nodegroup: 'kept-g' });
    const notes = await repairWhereAllowed(
      t,
      diagnosis.findings.filter((f) => f.check.id === 'node-labels'),
    );
    assert.match(notes.at(-1) ?? '', /the repair is kept/);
    assert.equal(nodeGroupOf('worker-1'), 'kept-g');
    assert.equal(ctx.ledger.entries().length, 1, 'ledgered');
    assert.deepEqual(ctx.ledger.pending('repair'), [], 'kept: not undone by cleanup');

    await undoAll(staging, 'stage');
  });
});
