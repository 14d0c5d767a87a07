/** Steps about bindings of nodes, namespaces and workspaces to nodegroups (through the KAPI). */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import type { BindingKind } from '../src/kapi/nodegroups';
import { groupOf, NotFoundError } from '../src/runbook';
import type { RunbookWorld } from '../support/world';

Given(
  '{kind} {string} is in no nodegroup',
  async function (this: RunbookWorld, kind: BindingKind, target: string) {
    const real = this.name(target);
    const obj = await this.op.ctx.verifier.get(kind, real);
    if (!obj) throw new NotFoundError(`${kind} ${real} does not exist; pick another with a run parameter`);
    const group = groupOf(kind, obj);
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
    await this.op.bind(kind, this.name(group), this.name(target));
  },
);

When(
  'I bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.op.bind(kind, this.name(group), this.name(target));
  },
);

When(
  'I try to bind {kind} {string} to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.attempt(() => this.op.bind(kind, this.name(group), this.name(target)));
  },
);

When(
  'I unbind {kind} {string} from nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.op.unbind(kind, this.name(group), this.name(target));
  },
);

When(
  'I try to unbind {kind} {string} from nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.attempt(() => this.op.unbind(kind, this.name(group), this.name(target)));
  },
);

Then(
  '{kind} {string} belongs to nodegroup {string}',
  async function (this: RunbookWorld, kind: BindingKind, target: string, group: string) {
    await this.op.verifyGroup(kind, this.name(target), this.name(group));
  },
);

Then(
  '{kind} {string} belongs to no nodegroup',
  async function (this: RunbookWorld, kind: BindingKind, target: string) {
    await this.op.verifyGroup(kind, this.name(target), undefined);
  },
);
