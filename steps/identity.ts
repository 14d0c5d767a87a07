/** Steps that act as another user (the read-only viewer) and judge what the server let them do. */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import { nodegroupRequests } from '../src/kapi/nodegroups';
import {
  openUserSession,
  resolveUser,
  SKIP_PREFIX,
  tryWrites,
  type UserSession,
  type WriteAttempt,
} from '../src/runbook/acceptance';
import { processState } from '../support/run-state';
import type { RunbookWorld } from '../support/world';

const sessions = new WeakMap<RunbookWorld, UserSession>();
const writes = new WeakMap<RunbookWorld, WriteAttempt[]>();

function session(world: RunbookWorld): UserSession {
  const s = sessions.get(world);
  assert.ok(s, 'no "Given I am the user ..." step ran before this one');
  return s;
}

Given('I am the user {string}', function (this: RunbookWorld, name: string) {
  const sandbox = processState().sandbox;
  const resolved = resolveUser(this.expand(name), (v) => this.variable(v), sandbox ? [sandbox.readonly] : []);
  if ('skip' in resolved) {
    this.log(`${SKIP_PREFIX}${resolved.skip}`);
    return 'skipped';
  }
  const s = openUserSession(this.ctx, resolved.login);
  sessions.set(this, s);
  return undefined;
});

Then('the user can list the nodegroups', async function (this: RunbookWorld) {
  const s = session(this);
  await s.kapi.call(nodegroupRequests.list({ limit: 1 }));
});

When(
  'the user tries every write of the nodegroup API on nodegroup {string} and node {string}',
  async function (this: RunbookWorld, probe: string, node: string) {
    const attempts = await tryWrites(this.op, session(this), this.newName(probe), this.expand(node));
    writes.set(this, attempts);
    this.log(attempts.map((a) => `${a.request} -> ${a.status}`).join('\n'));
  },
);

Then('every one of those requests is forbidden', function (this: RunbookWorld) {
  const attempts = writes.get(this);
  assert.ok(attempts?.length, 'no "the user tries every write ..." step ran before this one');
  const allowed = attempts.filter((a) => !a.forbidden);
  assert.equal(
    allowed.length,
    0,
    `the user "${session(this).login.name}" should have been refused (403) but was not: ${allowed
      .map((a) => `${a.request} -> ${a.status === 'sent' ? 'accepted' : a.status}`)
      .join('; ')}`,
  );
});

Then('the request is forbidden', function (this: RunbookWorld) {
  assert.notEqual(this.refusal, undefined, 'no "When I try to ..." step ran before this check');
  assert.ok(this.refusal, 'the request was expected to be forbidden (403), but it succeeded');
  assert.equal(
    this.refusal.status,
    403,
    `refused with ${this.refusal.status} (${this.refusal.serverMessage}), expected 403 Forbidden`,
  );
});
