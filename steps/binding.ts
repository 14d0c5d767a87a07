/** Steps about bindings of targets of any binding kind to nodegroups (through the KAPI). */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import { groupOfTarget } from '../src/binding-kinds';
import type { BindingKind } from '../src/kapi/nodegroups';
import { bind, TargetNotFoundError, unbind, verifyGroup } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Given(
  '{kind} {string} is in no nodegroup',
  async function (this: RunbookWorld, kind: BindingKind, target: string) {
    const real = this.name(target);
    const obj = await this.flow.get(kind, real);
    if (!obj)
      throw new TargetNotFoundError(`${kind} ${real} does not exist; pick another with a run parameter`);
    const group = groupOfTarget(kind, obj);
    assert.equal(
      group,
      undefined,
      `${kind} ${real} is in nodegroup ${group}; pick a ${kind} in no group for this runbook`,
    );
  },
);

Given(
  '{kind} {string} is bound to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await bind(this.flow, kind, this.name(group), this.name(target));
  },
);

When(
  'I bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await bind(this.flow, kind, this.name(group), this.name(target));
  },
);

When(
  'I try to bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.attempt(() => bind(this.flow, kind, this.name(group), this.name(target)));
  },
);

When(
  'I unbind {kind} {string} from nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await unbind(this.flow, kind, this.name(group), this.name(target));
  },
);

When(
  'I try to unbind {kind} {string} from nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.attempt(() => unbind(this.flow, kind, this.name(group), this.name(target)));
  },
);

Then(
  '{kind} {string} belongs to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await verifyGroup(this.flow, kind, this.name(target), this.name(group));
  },
);

Then(
  '{kind} {string} belongs to no nodegroup',
  async function (this: RunbookWorld, kind: BindingKind, target: string) {
    await verifyGroup(this.flow, kind, this.name(target), undefined);
  },
);
