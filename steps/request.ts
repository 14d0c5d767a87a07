/** Steps about the outcome of an "I try to ..." request: the refusal the operator expects. */
import { strict as assert } from 'node:assert';
import { Then } from '@cucumber/cucumber';
import type { RunbookWorld } from '../support/world';

function refusal(world: RunbookWorld) {
  assert.notEqual(world.refusal, undefined, 'no "When I try to ..." step ran before this check');
  assert.ok(world.refusal, 'the request was expected to be refused, but it succeeded');
  return world.refusal;
}

Then('the request is refused with {int}', function (this: RunbookWorld, status: number) {
  const err = refusal(this);
  assert.equal(err.status, status, `refused with ${err.status} (${err.serverMessage}), expected ${status}`);
});

Then(
  'the request is refused with {int} saying {string}',
  function (this: RunbookWorld, status: number, text: string) {
    const err = refusal(this);
    assert.equal(err.status, status, `refused with ${err.status} (${err.serverMessage}), expected ${status}`);
    const wanted = this.name(text);
    assert.ok(err.serverMessage.includes(wanted), `the server said "${err.serverMessage}", not "${wanted}"`);
  },
);
