/** Steps of the operations runbooks (features/operations/): staged preconditions, unbind everything. */
import { Given, Then, When } from '@cucumber/cucumber';
import type { BindingKind } from '../src/binding-kinds';
import { groupExists, holdsNothing, targetIn, unbindEverything } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Given(
  'nodegroup {string} exists \\(staged on the sandbox)',
  async function (this: RunbookWorld, name: string) {
    await groupExists(this.flow, this.name(name));
  },
);

Given(
  '{kind} {string} is in nodegroup {string} \\(staged on the sandbox)',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await targetIn(this.flow, kind, this.name(target), this.name(group));
  },
);

When('I unbind everything from nodegroup {string}', async function (this: RunbookWorld, group: string) {
  await unbindEverything(this.flow, this.name(group));
});

Then('nodegroup {string} holds nothing', async function (this: RunbookWorld, group: string) {
  await holdsNothing(this.flow, this.name(group));
});
