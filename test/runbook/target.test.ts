/**
 * The runbook library against a real embedded sandbox: watch-driven waits (success and deadline),
 * the safe flow with its ledger and undo, and the guardrail refusing destructive steps on a target
 * that is not the embedded sandbox (nothing sent, nothing in the ledger).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { NODE_GROUP_LABEL } from '../../src/constants';
import { nodegroupRequests } from '../../src/kapi/nodegroups';
import {
  ALLOW_DESTRUCTIVE_ENV,
  BlockedError,
  bind,
  CleanupError,
  checkConfigSectionEnabled,
  checkDeploymentsAvailable,
  checkPodsRunningAndReady,
  createNodeGroup,
  deleteNodeGroup,
  diffState,
  Flow,
  GuardrailError,
  patchNodeGroup,
  preflight,
  snapshotState,
  Undoer,
  unbind,
  undoEntries,
  undoScenario,
  VerifyError,
} from '../../src/runbook';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { sandboxRunContexts } from '../sandbox-run-contexts';

let sandbox: Sandbox;
const contexts = sandboxRunContexts({
  sandbox: () => sandbox,
  reportsPrefix: 'runbook-target',
  runIdTag: 'test',
  waitTimeoutMs: 2000,
});
const context = contexts.open;

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await contexts.closeAll();
  await sandbox.stop();
});

describe('waits', () => {
  test('a wait resolves when the watched condition becomes true after a change', async () => {
    const ctx = context('sandbox');
    const waiting = ctx.verifier.until(
      { resource: 'node', name: 'worker-2', description: 'worker-2 in edge-a' },
      (n) => n?.metadata.labels?.[NODE_GROUP_LABEL] === 'edge-a',
    );
    await ctx.kapi.call(nodegroupRequests.bind('node', 'edge-a', 'worker-2'));
    const seen = await waiting;
    assert.equal(seen?.metadata.labels?.[NODE_GROUP_LABEL], 'edge-a');
    await ctx.kapi.call(nodegroupRequests.unbind('node', 'edge-a', 'worker-2'));
    await ctx.verifier.until(
      { resource: 'node', name: 'worker-2', description: 'unbound' },
      (n) => !n?.metadata.labels?.[NODE_GROUP_LABEL],
    );
  });

  test('a wait that cannot hold says what was expected, what was seen and how to look', async () => {
    const ctx = context('sandbox', { waitTimeoutMs: 300 });
    await assert.rejects(
      ctx.verifier.until(
        { resource: 'node', name: 'worker-1', description: 'worker-1 in nowhere' },
        () => false,
      ),
      (err: unknown) =>
        err instanceof VerifyError &&
        /^expected worker-1 in nowhere\n/.test(err.message) &&
        /\nlast seen: it exists \(settled: unchanged for 100 ms/.test(err.message) &&
        /kubectl get nodes worker-1 -o yaml/.test(err.message),
    );
    const last = ctx.recorder.run.scenarios.length; // waits outside a step are not recorded anywhere
    assert.equal(last, 0);
  });
});

describe('safe flow and undo', () => {
  test('create, bind and patch are ledgered, verified, and undone back to the snapshot', async () => {
    const ctx = context('sandbox');
    const baseline = await snapshotState(ctx.verifier.kube);
    ctx.recorder.startScenario('undo', 'test', []);
    ctx.recorder.startStep('changes');
    const op = new Flow(ctx, 'scenario-1');
    await createNodeGroup(op, 'undo-me', { alias: 'A' });
    await bind(op, 'node', 'undo-me', 'worker-3');
    await bind(op, 'namespace', 'undo-me', 'monitoring');
    await patchNodeGroup(op, 'edge-a', { description: 'changed' });
    const kinds = ctx.recorder.currentStep!.operations.map((o) => o.kind);
    for (const kind of ['http', 'snapshot', 'ledger', 'wait']) assert.ok(kinds.includes(kind as never), kind);
    const http = ctx.recorder.currentStep!.operations.find(
      (o) => o.kind === 'http' && o.request.headers['authorization'],
    );
    assert.equal(http?.kind === 'http' && http.request.headers['authorization'], '<redacted>');
    assert.notDeepEqual(diffState(baseline, await snapshotState(ctx.verifier.kube)), []);

    const pending = ctx.ledger.pending('scenario-1');
    assert.deepEqual(
      pending.map((e) => e.change.op),
      ['patch-nodegroup', 'bind', 'bind', 'create-nodegroup'],
    );
    const undoer = new Undoer({ kapi: ctx.kapi, verifier: ctx.verifier }, ctx.ledger.entries());
    const failures = await undoEntries(undoer, pending, (e) => ctx.ledger.markUndone(e.seq));
    assert.deepEqual(failures, []);
    assert.deepEqual(diffState(baseline, await snapshotState(ctx.verifier.kube)), []);
    // Idempotent: replaying the same entries again changes nothing and fails nothing.
    assert.deepEqual(await undoEntries(undoer, pending, () => {}), []);
    assert.deepEqual(diffState(baseline, await snapshotState(ctx.verifier.kube)), []);
  });
});

describe('cleanup failures', () => {
  test('an undo that cannot be done is reported by name, and the other undos still run', async () => {
    const ctx = context('sandbox');
    ctx.recorder.startScenario('cleanup failure', 'test', []);
    ctx.recorder.startStep('changes');
    const op = new Flow(ctx, 'scenario-cleanup');
    await createNodeGroup(op, 'run-made', {});
    // A group from outside the run, patched by the run, then deleted behind its back.
    await ctx.kapi.call(nodegroupRequests.create('outside-made'));
    await patchNodeGroup(op, 'outside-made', { alias: 'patched' });
    await ctx.kapi.call(nodegroupRequests.delete('outside-made'));
    await ctx.verifier.until({ resource: 'nodegroup', name: 'outside-made', description: 'gone' }, (g) => !g);

    const pending = ctx.ledger.pending('scenario-cleanup');
    const undone: string[] = [];
    const undoer = new Undoer({ kapi: ctx.kapi, verifier: ctx.verifier }, ctx.ledger.entries());
    const failures = await undoEntries(undoer, pending, (e) => undone.push(e.change.op));
    assert.deepEqual(
      failures.map((f) => [f.entry.change.op, f.error]),
      [['patch-nodegroup', 'cannot restore nodegroup outside-made: it no longer exists']],
    );
    assert.deepEqual(undone, ['create-nodegroup'], 'the failure did not stop the next undo');
    assert.equal(await ctx.verifier.get('nodegroup', 'run-made'), undefined);
  });

  test("the After hook's cleanup fails the scenario naming what is left and the revert command", async () => {
    const ctx = context('sandbox');
    ctx.recorder.startScenario('cleanup failure', 'test', []);
    ctx.recorder.startStep('changes');
    const op = new Flow(ctx, 'scenario-hook');
    await createNodeGroup(op, 'hook-made', {});
    await ctx.kapi.call(nodegroupRequests.create('hook-outside'));
    await patchNodeGroup(op, 'hook-outside', { alias: 'patched' });
    await ctx.kapi.call(nodegroupRequests.delete('hook-outside'));
    await ctx.verifier.until({ resource: 'nodegroup', name: 'hook-outside', description: 'gone' }, (g) => !g);

    ctx.recorder.startCleanup();
    await assert.rejects(undoScenario(ctx, ctx.ledger.pending('scenario-hook')), (err: Error) => {
      assert.ok(err instanceof CleanupError, String(err));
      assert.match(
        err.message,
        /patch-nodegroup hook-outside: cannot restore nodegroup hook-outside: it no longer exists/,
      );
      assert.match(err.message, new RegExp(`undo them with: npm run revert -- --run-id ${ctx.runId}$`));
      return true;
    });
    assert.deepEqual(
      ctx.ledger.pending('scenario-hook').map((e) => e.change.op),
      ['patch-nodegroup'],
      'the undone entry is marked in the ledger, the failed one stays for revert',
    );
    const cleanup = ctx.recorder.currentScenario?.cleanup ?? [];
    assert.deepEqual(
      cleanup.flatMap((o) => (o.kind === 'ledger' ? [[o.action, o.error ?? 'ok']] : [])),
      [
        ['undone', 'ok'],
        ['undone', 'cannot restore nodegroup hook-outside: it no longer exists'],
      ],
    );
    assert.equal(await ctx.verifier.get('nodegroup', 'hook-made'), undefined);
  });
});

describe('guardrails on a target that is not the embedded sandbox', () => {
  test('delete and unbind refuse, naming the opt-in; nothing is sent or ledgered', async () => {
    const ctx = context('live');
    const op = new Flow(ctx, 'guarded');
    const baseline = await snapshotState(ctx.verifier.kube);
    await assert.rejects(deleteNodeGroup(op, 'edge-a'), (err: unknown) => {
      assert.ok(err instanceof GuardrailError);
      assert.match(err.message, new RegExp(`refusing to delete nodegroup edge-a on ${sandbox.url}`));
      assert.match(err.message, new RegExp(ALLOW_DESTRUCTIVE_ENV));
      return true;
    });
    await assert.rejects(unbind(op, 'node', 'edge-a', 'worker-1'), GuardrailError);
    assert.deepEqual(ctx.ledger.entries(), []);
    assert.deepEqual(diffState(baseline, await snapshotState(ctx.verifier.kube)), []);
  });

  test('with allowDestructive the same unbind runs', async () => {
    const ctx = context('live', { allowDestructive: true });
    const op = new Flow(ctx, 'allowed');
    await unbind(op, 'node', 'edge-a', 'worker-1');
    assert.equal(ctx.ledger.entries().length, 1);
  });
});

describe('blocked', () => {
  test('no credentials for a live target: preflight names what is missing and the command to run', async () => {
    const ctx = context('live', {}, false);
    await assert.rejects(preflight(ctx), (err: unknown) => {
      assert.ok(err instanceof BlockedError);
      assert.match(err.message, new RegExp(`no credentials for ${sandbox.url}`));
      assert.match(err.message, /KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD \(or KUBESPHERE_TOKEN\)/);
      assert.match(err.message, /`nodegroup-api login`/);
      assert.equal(err.command, `KUBESPHERE_HOST=${sandbox.url} nodegroup-api nodegroup list`);
      assert.match(err.apiPath, /^GET \/kapis\/infra\.kubesphere\.io\/v1alpha1\/nodegroups\?limit=1$/);
      return true;
    });
    assert.deepEqual(ctx.ledger.entries(), [], 'nothing was changed');
  });

  test('a write step without credentials is blocked before the ledger records anything sent', async () => {
    const ctx = context('live', { allowDestructive: true }, false);
    const op = new Flow(ctx, 'blocked');
    await assert.rejects(createNodeGroup(op, 'never-made', {}), (err: unknown) => {
      assert.ok(err instanceof BlockedError);
      assert.match(err.command, /nodegroup-api nodegroup get never-made$/);
      return true;
    });
    assert.deepEqual(ctx.ledger.entries(), []);
  });
});

describe('deployment checks', () => {
  test('the fixture passes; a paused controller fails the pod and Deployment checks by name', async () => {
    const ctx = context('sandbox');
    await checkConfigSectionEnabled(ctx.verifier, 'scheduling');
    await checkDeploymentsAvailable(ctx.verifier);
    await checkPodsRunningAndReady(ctx.verifier);
    sandbox.faults.set('controller-paused', {});
    try {
      await assert.rejects(
        checkPodsRunningAndReady(ctx.verifier),
        /pod nodegroup-controller-manager-\S+ is Running, ready=false; check: kubectl get pods -n kubesphere-system/,
      );
      await assert.rejects(
        checkDeploymentsAvailable(ctx.verifier),
        /Deployment nodegroup-controller-manager: 0\/1 available/,
      );
    } finally {
      sandbox.faults.clear();
    }
  });
});
