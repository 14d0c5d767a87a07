import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODEGROUP_NAMESPACE } from '../../../src/constants';
import { Faults } from '../../../src/sandbox/faults/registry';
import { loadFixture } from '../../../src/sandbox/server/fixture';
import { ObjectStore } from '../../../src/sandbox/store/store';

const controllerPod = (store: ObjectStore) =>
  store.list('pods', { namespace: NODEGROUP_NAMESPACE, labelSelector: 'app=nodegroup-controller-manager' })
    .items[0]!;
const ready = (store: ObjectStore) =>
  (controllerPod(store).status as { conditions: { type: string; status: string }[] }).conditions.find(
    (c) => c.type === 'Ready',
  )?.status;

test('controller-paused blocks every reconcile, shows the pod not Ready, and a rollout restart ends it', () => {
  const store = new ObjectStore();
  loadFixture(store);
  const faults = new Faults({ store });
  assert.equal(ready(store), 'True');
  faults.set('controller-paused', {});
  assert.equal(faults.blocks({ step: 'reconcile' }), true);
  assert.equal(ready(store), 'False');
  faults.observe({ action: 'rollout-restart', namespace: NODEGROUP_NAMESPACE, name: 'nodegroup-apiserver' });
  assert.equal(faults.isOn('controller-paused'), true, 'another Deployment restarted: still hung');
  faults.observe({
    action: 'rollout-restart',
    namespace: NODEGROUP_NAMESPACE,
    name: 'nodegroup-controller-manager',
  });
  assert.equal(faults.isOn('controller-paused'), false);
  assert.equal(ready(store), 'True');
});
