import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';
import { fakeRequest } from './helpers';

test('member-unreachable answers 503 for that member on both path forms and blocks reaching it', async () => {
  const faults = new Faults();
  faults.set('member-unreachable', { cluster: 'member-2' });
  for (const path of [
    '/clusters/member-2/api/v1/nodes',
    '/kapis/clusters/member-2/infra.kubesphere.io/v1alpha1/nodegroups',
  ]) {
    const req = fakeRequest('GET', path);
    assert.equal(await faults.intercept(req.ctx), true, path);
    assert.deepEqual([req.answer.status, req.answer.body], [503, 'cluster member-2 is not ready']);
  }
  assert.equal(await faults.intercept(fakeRequest('GET', '/clusters/member-20/api/v1/nodes').ctx), false);
  assert.equal(await faults.intercept(fakeRequest('GET', '/api/v1/nodes').ctx), false);
  assert.equal(faults.blocks({ step: 'reach-member', cluster: 'member-2' }), true);
  assert.equal(faults.blocks({ step: 'reach-member', cluster: 'member-1' }), false);
  assert.throws(() => faults.set('member-unreachable', {}), /cluster/);
});
