/**
 * Every rule of the guardrails against a standalone sandbox used as a live environment through
 * environment files, protected (`prod`) and not (`open`): the refusals name the object, the rule
 * and the opt-in, come before any request (no ledger entry, the object unchanged), and the run's
 * own work is always undoable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nodegroupRequests } from '../../src/kapi/nodegroups';
import {
  bind,
  createNodeGroup,
  deleteNodeGroup,
  GuardrailError,
  type RunContext,
  unbind,
} from '../../src/runbook';
import { BatchBinder } from '../../src/runbook/batch';
import { flowOf, groupOf, type LiveTarget, startLiveTarget } from './live-target';

let t: LiveTarget;
let other: RunContext;

before(async () => {
  t = await startLiveTarget('guardrails-live-');
  other = t.someoneElse();
});
after(() => t?.close());

/** A refusal naming `object`, the rule's words and the opt-in; the ledger got nothing. */
async function refused(ctx: RunContext, action: () => Promise<unknown>, object: RegExp, rule: RegExp) {
  const entries = ctx.ledger.entries().length;
  await assert.rejects(action, (err: unknown) => {
    assert.ok(err instanceof GuardrailError, String(err));
    assert.equal(err.code, 'RUNBOOK_GUARDRAIL');
    assert.match(err.message, object);
    assert.match(err.message, rule);
    assert.match(err.message, /--allow-destructive or RUNBOOK_ALLOW_DESTRUCTIVE=1/);
    assert.match(err.message, /nothing was sent/);
    return true;
  });
  assert.equal(ctx.ledger.entries().length, entries, 'a refused action was ledgered');
}

const exists = async (ctx: RunContext, name: string) => {
  const g = await ctx.verifier.get('nodegroup', name);
  return g !== undefined && g.metadata.deletionTimestamp === undefined;
};

describe('protected environment, no opt-in', () => {
  test('deleting a group the run did not create is refused; the group stays', async () => {
    const ctx = t.open('prod');
    await refused(
      ctx,
      () => deleteNodeGroup(flowOf(ctx), 'edge-a'),
      /delete nodegroup edge-a on http:\S+ \(environment prod, protected\)/,
      /was not created by this run\. Rule: a run deletes only nodegroups it created/,
    );
    assert.ok(await exists(ctx, 'edge-a'));
  });

  test('unbinding what the run did not bind is refused, single and batch; the node stays', async () => {
    await other.kapi.call(nodegroupRequests.bind('node', 'edge-a', 'worker-3'));
    const ctx = t.open('prod');
    await refused(
      ctx,
      () => unbind(flowOf(ctx), 'node', 'edge-a', 'worker-3'),
      /unbind node worker-3 from nodegroup edge-a/,
      /not made by this run\. Rule: on a protected environment a run unbinds only what it bound/,
    );
    await refused(
      ctx,
      () => new BatchBinder(flowOf(ctx)).unbind('node', 'edge-a', { names: ['worker-3'] }),
      /unbind node worker-3 from nodegroup edge-a/,
      /unbinds only what it bound/,
    );
    assert.equal(await groupOf(ctx, 'node', 'worker-3'), 'edge-a');
  });

  test('a bind that moves a node out of another group is refused; the node stays', async () => {
    const ctx = t.open('prod');
    const flow = flowOf(ctx);
    await createNodeGroup(flow, 'guard-mine', {});
    await refused(
      ctx,
      () => bind(flow, 'node', 'guard-mine', 'worker-3'),
      /bind node worker-3 to nodegroup guard-mine/,
      /node worker-3 is in nodegroup edge-a, and the bind would move it out\. Rule: .*does not move a target out/,
    );
    assert.equal(await groupOf(ctx, 'node', 'worker-3'), 'edge-a');
    await deleteNodeGroup(flow, 'guard-mine'); // its own: allowed
  });

  test("the run's own work is undoable: bind, move between its groups, unbind, delete", async () => {
    const ctx = t.open('prod');
    const flow = flowOf(ctx);
    await createNodeGroup(flow, 'own-1', {});
    await createNodeGroup(flow, 'own-2', {});
    await bind(flow, 'node', 'own-1', 'edge-node-1');
    await bind(flow, 'node', 'own-2', 'edge-node-1'); // out of a group the run owns
    assert.equal(await groupOf(ctx, 'node', 'edge-node-1'), 'own-2');
    await unbind(flowOf(ctx, 'another-scenario'), 'node', 'own-2', 'edge-node-1');
    await deleteNodeGroup(flow, 'own-1');
    await deleteNodeGroup(flow, 'own-2');
    assert.equal(await groupOf(ctx, 'node', 'edge-node-1'), undefined);
  });
});

describe('protected environment with the opt-in', () => {
  test('unbind and delete of what someone else made are allowed', async () => {
    await other.kapi.call(nodegroupRequests.create('theirs-1'));
    await other.kapi.call(nodegroupRequests.bind('node', 'theirs-1', 'edge-node-2'));
    const ctx = t.open('prod', { allowDestructive: true });
    await unbind(flowOf(ctx), 'node', 'theirs-1', 'edge-node-2');
    await deleteNodeGroup(flowOf(ctx), 'theirs-1');
    assert.equal(await groupOf(ctx, 'node', 'edge-node-2'), undefined);
    assert.equal(await exists(ctx, 'theirs-1'), false);
  });
});

describe('non-protected live environment', () => {
  test('unbinding and moving what someone else made are allowed', async () => {
    // worker-3 is in edge-a, put there by someone else (the protected test above).
    const ctx = t.open('open');
    const flow = flowOf(ctx);
    await createNodeGroup(flow, 'open-mine', {});
    await bind(flow, 'node', 'open-mine', 'worker-3');
    assert.equal(await groupOf(ctx, 'node', 'worker-3'), 'open-mine');
    await other.kapi.call(nodegroupRequests.bind('node', 'edge-a', 'worker-2'));
    await unbind(flow, 'node', 'edge-a', 'worker-2');
    assert.equal(await groupOf(ctx, 'node', 'worker-2'), undefined);
    await unbind(flow, 'node', 'open-mine', 'worker-3');
    await deleteNodeGroup(flow, 'open-mine');
  });

  test('deleting a group the run did not create is still refused; the group stays', async () => {
    await other.kapi.call(nodegroupRequests.create('theirs-2'));
    const ctx = t.open('open');
    await refused(
      ctx,
      () => deleteNodeGroup(flowOf(ctx), 'theirs-2'),
      /delete nodegroup theirs-2 on http:\S+ \(environment open\)/,
      /a run deletes only nodegroups it created/,
    );
    assert.ok(await exists(ctx, 'theirs-2'));
  });
});
