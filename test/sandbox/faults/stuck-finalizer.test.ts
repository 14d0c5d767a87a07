import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';

test("stuck-finalizer blocks removing one group's finalizer only", () => {
  const faults = new Faults();
  assert.throws(() => faults.set('stuck-finalizer', {}), /option "nodegroup" is required/);
  faults.set('stuck-finalizer', { nodegroup: 'edge-a' });
  assert.equal(faults.blocks({ step: 'remove-finalizer', nodegroup: 'edge-a' }), true);
  assert.equal(faults.blocks({ step: 'remove-finalizer', nodegroup: 'edge-b' }), false);
  assert.equal(faults.blocks({ step: 'reconcile' }), false);
  faults.remove('stuck-finalizer');
  assert.equal(faults.blocks({ step: 'remove-finalizer', nodegroup: 'edge-a' }), false);
});
