/**
 * Batch binding steps: many nodes, namespaces or workspaces at once, picked by a label selector
 * (`the nodes matching "node-role.kubernetes.io/edge"`) or listed in a one-column table under a
 * header naming the kind. One ledger entry per target; one watch-driven wait for all of them.
 */
import { strict as assert } from 'node:assert';
import { type DataTable, Given, Then, When } from '@cucumber/cucumber';
import { bindingKind } from '../src/binding-kinds';
import type { BindingKind } from '../src/kapi/nodegroups';
import { injectFault } from '../src/runbook';
import {
  BatchBinder,
  BatchFailedError,
  BatchInputError,
  type BatchResult,
  EmptySelectionError,
  namesFromTable,
  type Selection,
} from '../src/runbook/batch';
import type { RunbookWorld } from '../support/world';

const binder = (world: RunbookWorld) => new BatchBinder(world.flow);
const bySelector = (world: RunbookWorld, selector: string): Selection => ({
  selector: world.expand(selector),
});
const byTable = (world: RunbookWorld, kind: BindingKind, table: DataTable): Selection => ({
  names: namesFromTable(
    kind,
    table.raw().map((row) => row.map((cell) => world.expand(cell))),
  ).map((n) => world.name(n)),
});

async function attempt(world: RunbookWorld, batch: () => Promise<BatchResult>): Promise<void> {
  try {
    world.batchAttempt = await batch();
  } catch (err) {
    if (
      !(
        err instanceof BatchFailedError ||
        err instanceof EmptySelectionError ||
        err instanceof BatchInputError
      )
    )
      throw err;
    world.batchAttempt = err;
  }
}

function lastAttempt(world: RunbookWorld) {
  const outcome = world.batchAttempt as
    | BatchResult
    | BatchFailedError
    | EmptySelectionError
    | BatchInputError
    | undefined;
  assert.ok(outcome, 'no batch attempt yet: a "When I try to bind the ..." step comes first');
  return outcome;
}

When(
  'I bind the {kinds} matching {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, selector: string, group: string) {
    await binder(this).bind(kind, this.name(group), bySelector(this, selector));
  },
);

When(
  'I try to bind the {kinds} matching {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, selector: string, group: string) {
    await attempt(this, () => binder(this).bind(kind, this.name(group), bySelector(this, selector)));
  },
);

When(
  'I bind these {kinds} to nodegroup {string}:',
  async function (this: RunbookWorld, kind: BindingKind, group: string, table: DataTable) {
    await binder(this).bind(kind, this.name(group), byTable(this, kind, table));
  },
);

When(
  'I try to bind these {kinds} to nodegroup {string}:',
  async function (this: RunbookWorld, kind: BindingKind, group: string, table: DataTable) {
    await attempt(this, () => binder(this).bind(kind, this.name(group), byTable(this, kind, table)));
  },
);

When(
  'I unbind the {kinds} matching {string} from nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, selector: string, group: string) {
    await binder(this).unbind(kind, this.name(group), bySelector(this, selector));
  },
);

When(
  'I unbind these {kinds} from nodegroup {string}:',
  async function (this: RunbookWorld, kind: BindingKind, group: string, table: DataTable) {
    await binder(this).unbind(kind, this.name(group), byTable(this, kind, table));
  },
);

Then(
  'the {kinds} matching {string} belong to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, selector: string, group: string) {
    await binder(this).verify(kind, bySelector(this, selector), this.name(group));
  },
);

Then(
  'the {kinds} matching {string} belong to no nodegroup',
  async function (this: RunbookWorld, kind: BindingKind, selector: string) {
    await binder(this).verify(kind, bySelector(this, selector), undefined);
  },
);

Then(
  'these {kinds} belong to nodegroup {string}:',
  async function (this: RunbookWorld, kind: BindingKind, group: string, table: DataTable) {
    await binder(this).verify(kind, byTable(this, kind, table), this.name(group));
  },
);

Then(
  'the batch failed for {kind} {string} only',
  function (this: RunbookWorld, kind: BindingKind, target: string) {
    const outcome = lastAttempt(this);
    assert.ok(
      outcome instanceof BatchFailedError,
      `the batch did not fail for ${kind} ${target}: ${outcome instanceof Error ? outcome.message : 'every target went through'}`,
    );
    assert.deepEqual(
      outcome.result.failed.map((f) => f.target),
      [this.name(target)],
      `expected only ${kind} ${target} to fail; the failure says:\n${outcome.message}`,
    );
  },
);

Then('the batch changed nothing because no {kinds} match', function (this: RunbookWorld, kind: BindingKind) {
  const outcome = lastAttempt(this);
  assert.ok(
    outcome instanceof EmptySelectionError && outcome.kind === kind,
    `expected the batch to find no ${kind}s, but ${outcome instanceof Error ? outcome.message : `it changed ${outcome.changed.length}`}`,
  );
});

Then('the batch is refused: {string}', function (this: RunbookWorld, text: string) {
  const outcome = lastAttempt(this);
  const wanted = this.expand(text);
  assert.ok(
    outcome instanceof BatchInputError && outcome.message.includes(wanted),
    `expected the batch to be refused with "${wanted}", but ${outcome instanceof Error ? `it failed with: ${outcome.message}` : 'it went through'}`,
  );
});

// Staging a partial failure (sandbox only): the KAPI answers one target's bind with an error.
Given(
  'the KAPI answers {int} to binding {kind} {string}',
  async function (this: RunbookWorld, status: number, kind: BindingKind, target: string) {
    const path = `/${bindingKind(kind).kapiSegment}/${this.name(target)}`;
    await injectFault(this.flow, 'kapi-errors', {
      pattern: `${path}$`,
      method: 'POST',
      status,
    });
  },
);
