import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';

test('ippool-sync blocks IPPool syncs and nothing else', () => {
  const faults = new Faults();
  assert.throws(() => faults.set('ippool-sync', { x: 1 }), /has no option "x": it takes no options/);
  faults.set('ippool-sync', {});
  assert.equal(faults.blocks({ step: 'sync-ippool', nodegroup: 'edge-a' }), true);
  assert.equal(faults.blocks({ step: 'reconcile' }), false);
  assert.equal(faults.blocks({ step: 'remove-finalizer', nodegroup: 'edge-a' }), false);
});
