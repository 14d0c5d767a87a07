/** Steps about nodegroups: read, create, patch, delete, and their fields, finalizer, state, events. */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import { CLUSTER_EVENTS_NAMESPACE } from '../src/constants';
import type { NodeGroupSpec } from '../src/kapi/nodegroups';
import {
  createNodeGroup,
  deleteNodeGroup,
  getNodeGroup,
  jsonPatchNodeGroup,
  listNodeGroups,
  patchNodeGroup,
  verifyFinalizer,
  verifyGone,
  verifySpecField,
  verifyState,
} from '../src/runbook';
import type { RunbookWorld } from '../support/world';

When('I list the nodegroups', async function (this: RunbookWorld) {
  await listNodeGroups(this.flow);
});

When('I get nodegroup {string}', async function (this: RunbookWorld, name: string) {
  await getNodeGroup(this.flow, this.name(name));
});

Then('the nodegroup list includes {string}', async function (this: RunbookWorld, name: string) {
  const real = this.name(name);
  const list = await listNodeGroups(this.flow);
  const names = list.items.map((g) => g.metadata.name);
  assert.ok(names.includes(real), `nodegroup ${real} is not in the list (${names.join(', ')})`);
});

When(
  'I create nodegroup {string} with alias {string} and manager {string}',
  async function (this: RunbookWorld, name: string, alias: string, manager: string) {
    await createNodeGroup(this.flow, this.newName(name), {
      alias: this.expand(alias),
      manager: this.expand(manager),
    });
  },
);

Given('a new nodegroup {string}', async function (this: RunbookWorld, name: string) {
  await createNodeGroup(this.flow, this.newName(name), {});
});

Given(
  'a new nodegroup {string} with alias {string}',
  async function (this: RunbookWorld, name: string, alias: string) {
    await createNodeGroup(this.flow, this.newName(name), { alias: this.expand(alias) });
  },
);

When(
  /^I patch nodegroup "([^"]+)" setting (alias|description|manager) to "([^"]*)"$/,
  async function (this: RunbookWorld, name: string, field: keyof NodeGroupSpec, value: string) {
    await patchNodeGroup(this.flow, this.name(name), { [field]: this.expand(value) });
  },
);

When(
  'I apply this JSON Patch to nodegroup {string}:',
  async function (this: RunbookWorld, name: string, doc: string) {
    await jsonPatchNodeGroup(this.flow, this.name(name), parsePatch(this.expand(doc)));
  },
);

When(
  'I try to apply this JSON Patch to nodegroup {string}:',
  async function (this: RunbookWorld, name: string, doc: string) {
    const operations = parsePatch(this.expand(doc));
    await this.attempt(() => jsonPatchNodeGroup(this.flow, this.name(name), operations));
  },
);

When('I delete nodegroup {string}', async function (this: RunbookWorld, name: string) {
  await deleteNodeGroup(this.flow, this.name(name));
});

Then(
  /^nodegroup "([^"]+)" has (alias|description|manager) "([^"]*)"$/,
  async function (this: RunbookWorld, name: string, field: string, value: string) {
    await verifySpecField(this.flow, this.name(name), field, this.expand(value));
  },
);

Then(
  'nodegroup {string} is in state {string}',
  async function (this: RunbookWorld, name: string, state: string) {
    await verifyState(this.flow, this.name(name), state);
  },
);

Then(
  /^nodegroup "([^"]+)" (?:still )?has finalizer "([^"]+)"$/,
  async function (this: RunbookWorld, name: string, finalizer: string) {
    await verifyFinalizer(this.flow, this.name(name), finalizer);
  },
);

Then(
  'nodegroup {string} has an event {string}',
  async function (this: RunbookWorld, name: string, reason: string) {
    await this.flow.event({ kind: 'NodeGroup', name: this.name(name) }, reason, CLUSTER_EVENTS_NAMESPACE);
  },
);

Then('nodegroup {string} is gone', async function (this: RunbookWorld, name: string) {
  await verifyGone(this.flow, this.name(name));
});

Then('nodegroup {string} does not exist', async function (this: RunbookWorld, name: string) {
  const real = this.name(name);
  assert.equal(await getNodeGroup(this.flow, real), undefined, `nodegroup ${real} exists`);
});

function parsePatch(doc: string): unknown[] {
  let operations: unknown;
  try {
    operations = JSON.parse(doc);
  } catch (err) {
    throw new Error(`the JSON Patch in the step is not JSON (${(err as Error).message}); fix the doc string`);
  }
  if (!Array.isArray(operations)) throw new Error('a JSON Patch is an array of operations: [{"op":...}]');
  return operations;
}
