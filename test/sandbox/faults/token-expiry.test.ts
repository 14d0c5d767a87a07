import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';

test('token-expiry expires the tokens when switched on', () => {
  let expired = 0;
  const faults = new Faults({ expireTokens: () => expired++ });
  faults.set('token-expiry', {});
  assert.equal(expired, 1);
  faults.remove('token-expiry');
  assert.equal(expired, 1, 'switching it off expires nothing');
});
