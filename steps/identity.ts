/** Steps that act as another user (the read-only viewer) and judge what the server let them do. */
import { strict as assert } from 'node:assert';
import { Given, Then, When } from '@cucumber/cucumber';
import { nodegroupRequests } from '../src/kapi/nodegroups';
import { openUserSession, resolveUser, SKIP_PREFIX, tryWrites } from '../src/runbook/acceptance';
import { VerifyError } from '../src/runbook/errors';
import { processState } from '../support/run-state';
import type { RunbookWorld } from '../support/world';

Given('I am the user {string}', function (this: RunbookWorld, name: string) {
  const sandbox = processState().sandbox;
  const resolved = resolveUser(
    this.expand(name),
    (v) => this.variable(v),
    process.env,
    sandbox ? [sandbox.readonly] : [],
  );
  if ('skip' in resolved) {
    this.flow.note(`skipped [${resolved.skip.code}]: ${resolved.skip.reason}`);
    this.log(`${SKIP_PREFIX}[${resolved.skip.code}] ${resolved.skip.reason}`);
    return 'skipped';
  }
  this.userSession = openUserSession(this.ctx, resolved.login);
  return undefined;
});

Then('the user can list the nodegroups', async function (this: RunbookWorld) {
  await this.user().kapi.call(nodegroupRequests.list({ limit: 1 }));
});

When(
  'the user tries every write of the nodegroup API on nodegroup {string} and node {string}',
  async function (this: RunbookWorld, probe: string, node: string) {
    this.userWrites = await tryWrites(this.flow, this.user(), this.newName(probe), this.expand(node));
    this.log(this.userWrites.map((a) => `${a.request} -> ${a.status}`).join('\n'));
  },
);

Then('every one of those requests is forbidden', function (this: RunbookWorld) {
  const attempts = this.userWrites;
  assert.ok(attempts?.length, 'no "the user tries every write ..." step ran before this one');
  const allowed = attempts.filter((a) => !a.forbidden);
  if (allowed.length)
    throw new VerifyError(
      `the user "${this.user().login.name}" should have been refused (403) but was not: ${allowed
        .map((a) => `${a.request} -> ${a.status === 'sent' ? 'accepted' : a.status}`)
        .join('; ')}`,
    );
});

Then('the request is forbidden', function (this: RunbookWorld) {
  assert.notEqual(this.refusal, undefined, 'no "When I try to ..." step ran before this check');
  if (!this.refusal)
    throw new VerifyError('the request was expected to be forbidden (403), but it succeeded');
  if (this.refusal.status !== 403)
    throw new VerifyError(
      `refused with ${this.refusal.status} (${this.refusal.serverMessage}), expected 403 Forbidden`,
    );
});
