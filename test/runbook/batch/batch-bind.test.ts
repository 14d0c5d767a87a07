/**
 * Batch bindings against an embedded sandbox: 200 nodes bound by a selector (one ledger entry
 * each, one watch wait) and undone by the scenario's cleanup; a partial failure (the kapi-errors
 * fault on one node's route) that names that node and leaves the others bound and ledgered; a
 * selector that matches nothing; a table naming a node that does not exist.
 */
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { NODE_GROUP_LABEL } from '../../../src/constants';
import { createNodeGroup, Flow, type RunContext, undoScenario } from '../../../src/runbook';
import { BatchBinder, BatchFailedError, EmptySelectionError } from '../../../src/runbook/batch';
import { type Sandbox, startSandbox } from '../../../src/sandbox/sandbox';
import { sandboxRunContexts } from '../../sandbox-run-contexts';
import { addNodes } from './add-nodes';

const ROLE = 'node-role.kubernetes.io/rack';
let sandbox: Sandbox;
let ctx: RunContext;
const contexts = sandboxRunContexts({
  sandbox: () => sandbox,
  reportsPrefix: 'batch-bind',
  runIdTag: 'batch',
  waitTimeoutMs: 10_000,
});

before(async () => {
  sandbox = await startSandbox();
  await addNodes(sandbox, 200, { prefix: 'rack', labels: { [ROLE]: '' } });
  ctx = contexts.open('sandbox');
});
after(async () => {
  await contexts.closeAll();
  await sandbox.stop();
});

const groupOfNodes = (names?: Set<string>) =>
  sandbox.store
    .list('nodes', {})
    .items.filter((n) => !names || names.has(n.metadata.name!))
    .map((n) => n.metadata.labels?.[NODE_GROUP_LABEL]);

async function newGroup(op: Flow, name: string) {
  await createNodeGroup(op, name, {});
}

test('200 nodes by selector: bound and verified with one wait, one ledger entry each; cleanup undoes all', async () => {
  const op = new Flow(ctx, 'scenario-200');
  await newGroup(op, 'racks');
  ctx.recorder.startScenario('batch of 200', 'test', []);
  ctx.recorder.startStep('When I bind the nodes matching ... to nodegroup "racks"');
  const result = await new BatchBinder(op).bind('node', 'racks', { selector: ROLE });
  const ops = ctx.recorder.currentStep?.operations ?? [];
  assert.equal(ops.filter((o) => o.kind === 'wait').length, 1, 'one wait for all 200 nodes');
  const posts = ops.filter((o) => o.kind === 'http' && o.request.method === 'POST');
  assert.equal(posts.length, 200, 'one bind request per node');
  assert.equal(result.changed.length, 200);
  assert.deepEqual(result.failed, []);
  const rack = new Set(result.changed);
  assert.ok(groupOfNodes(rack).every((g) => g === 'racks'));
  const pending = ctx.ledger.pending('scenario-200');
  const binds = pending.filter((e) => e.change.op === 'bind');
  assert.equal(binds.length, 200, 'one ledger entry per node');
  assert.equal(new Set(binds.map((e) => (e.change as { target: string }).target)).size, 200);
  await undoScenario(ctx, pending);
  assert.equal(ctx.ledger.pending('scenario-200').length, 0);
  assert.ok(
    groupOfNodes(rack).every((g) => g === undefined),
    'every node unbound again',
  );
  assert.equal(
    sandbox.store.list('nodegroups', {}).items.find((g) => g.metadata.name === 'racks'),
    undefined,
    'the group is gone too',
  );
});

test('a partial failure names each failed node; the others are bound, ledgered and undone by cleanup', async () => {
  const op = new Flow(ctx, 'scenario-partial');
  await newGroup(op, 'half');
  sandbox.faults.set('kapi-errors', { pattern: '/nodes/rack-(7|42)$', method: 'POST', status: 500 });
  try {
    const err = await new BatchBinder(op, 8).bind('node', 'half', { selector: ROLE }).then(
      () => assert.fail('the batch should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BatchFailedError, String(err));
    assert.deepEqual(err.result.failed.map((f) => [f.target, f.status]).sort(), [
      ['rack-42', 500],
      ['rack-7', 500],
    ]);
    assert.equal(err.result.changed.length, 198);
    assert.match(err.message, /^bind of 2 of 200 node\(s\) to nodegroup half failed:/);
    assert.match(err.message, /node rack-7: .*500/);
    assert.match(err.message, /node rack-42: .*500/);
    assert.match(err.message, /the other 198 are bound and ledgered/);
  } finally {
    sandbox.faults.remove('kapi-errors');
  }
  const byName = new Map(
    sandbox.store
      .list('nodes', {})
      .items.map((n) => [n.metadata.name, n.metadata.labels?.[NODE_GROUP_LABEL]]),
  );
  assert.equal(byName.get('rack-7'), undefined);
  assert.equal(byName.get('rack-42'), undefined);
  // A 500 may have changed something: those two entries stay pending too; their undo finds nothing to do.
  assert.equal(ctx.ledger.pending('scenario-partial').filter((e) => e.change.op === 'bind').length, 200);
  assert.equal(byName.get('rack-8'), 'half');
  await undoScenario(ctx, ctx.ledger.pending('scenario-partial'));
  assert.ok(
    groupOfNodes(new Set(Array.from({ length: 200 }, (_, i) => `rack-${i}`))).every((g) => g === undefined),
  );
});

test('a selector matching nothing fails before any change', async () => {
  const op = new Flow(ctx, 'scenario-empty');
  await newGroup(op, 'nowhere');
  const before = ctx.ledger.pending('scenario-empty').length;
  await assert.rejects(
    new BatchBinder(op).bind('node', 'nowhere', { selector: 'site=none' }),
    (err: unknown) =>
      err instanceof EmptySelectionError &&
      /none matches: nothing was changed/.test(err.message) &&
      /kubectl get nodes -l 'site=none'/.test(err.message),
  );
  assert.equal(ctx.ledger.pending('scenario-empty').length, before);
  await undoScenario(ctx, ctx.ledger.pending('scenario-empty'));
});

test('a table naming a missing node: the 404 is named, the rest bound; unbind by table undoes them', async () => {
  const op = new Flow(ctx, 'scenario-table');
  await newGroup(op, 'tabled');
  const binder = new BatchBinder(op);
  const err = await binder
    .bind('node', 'tabled', { names: ['rack-1', 'no-such-node', 'rack-2'] })
    .catch((e: unknown) => e);
  assert.ok(err instanceof BatchFailedError);
  assert.deepEqual(
    err.result.failed.map((f) => [f.target, f.status]),
    [['no-such-node', 404]],
  );
  assert.deepEqual(err.result.changed, ['rack-1', 'rack-2']);
  // The refused entry was voided: only the two bound nodes are pending besides the group.
  assert.equal(ctx.ledger.pending('scenario-table').filter((e) => e.change.op === 'bind').length, 2);
  await binder.unbind('node', 'tabled', { names: ['rack-1', 'rack-2'] });
  await binder.verify('node', { names: ['rack-1', 'rack-2'] }, undefined);
  await undoScenario(ctx, ctx.ledger.pending('scenario-table'));
  assert.deepEqual(groupOfNodes(new Set(['rack-1', 'rack-2'])), [undefined, undefined]);
});
