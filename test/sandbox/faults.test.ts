import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DESIRED_NODEGROUP_ANNOTATION,
  ippoolKeyOf,
  NODE_GROUP_LABEL,
  NODEGROUP_FINALIZER,
  NODEGROUP_NAMESPACE,
} from '../../src/constants';
import type { KubeObject } from '../../src/sandbox/store/object';
import { annotationsOf, eventsFor, KAPI, labelsOf, useHarness, waitFor } from './nodegroup-harness';

const h = useHarness();

const FAULTS = '/sandbox/v1/faults';
const put = (name: string, options?: unknown, headers?: Record<string, string>) =>
  h.request('PUT', `${FAULTS}/${name}`, options, headers);
const off = (name: string) => h.request('DELETE', `${FAULTS}/${name}`);
const bind = (ng: string, kind: string, name: string) =>
  h.request('POST', `${KAPI}/nodegroups/${ng}/${kind}/${name}`);
const controllerPod = () =>
  h.store.list('pods', { namespace: NODEGROUP_NAMESPACE, labelSelector: 'app=nodegroup-controller-manager' })
    .items[0]!;
const podReady = (pod: KubeObject) =>
  (pod.status as { conditions: { type: string; status: string }[] }).conditions.find(
    (c) => c.type === 'Ready',
  )!.status;
type ActiveList = { faults: { name: string; options: Record<string, unknown>; remaining?: number }[] };

describe('control API', () => {
  test('lists, sets and clears faults; unknown name 404; bad options 400; read-only 403', async () => {
    const set = await put('latency', { pattern: '/never-matches', ms: 5 });
    assert.equal(set.status, 200);
    const list = (await h.request('GET', FAULTS)).json<ActiveList>();
    assert.deepEqual(
      list.faults.map((f) => [f.name, f.options]),
      [['latency', { pattern: '/never-matches', ms: 5 }]],
    );
    assert.deepEqual((await off('latency')).json(), { name: 'latency', removed: true });
    assert.deepEqual((await off('latency')).json(), { name: 'latency', removed: false });

    const unknown = await put('gremlins', {});
    assert.equal(unknown.status, 404);
    assert.match(
      unknown.json<{ message: string }>().message,
      /unknown fault "gremlins": the faults are controller-paused/,
    );
    for (const [name, options, re] of [
      [
        'kapi-errors',
        { pattern: '/x', status: 200 },
        /option "status" must be an integer from 400 to 599, got 200/,
      ],
      ['kapi-errors', { status: 503 }, /option "pattern" is required/],
      ['latency', { pattern: '/x', ms: -1 }, /option "ms" must be an integer from 0 to 60000/],
      ['stuck-finalizer', {}, /option "nodegroup" is required/],
      ['controller-paused', { nodegroup: 'x' }, /has no option "nodegroup": it takes no options/],
      ['latency', [1], /must be a JSON object of options, got an array/],
    ] as const) {
      const res = await put(name, options);
      assert.equal(res.status, 400, `${name} ${JSON.stringify(options)}`);
      assert.match(res.json<{ message: string }>().message, re);
    }
    const readOnly = await put('controller-paused', undefined, { 'x-readonly': '1' });
    assert.equal(readOnly.status, 403);
    assert.equal(readOnly.json<{ reason: string }>().reason, 'Forbidden');
    assert.equal((await h.request('GET', FAULTS)).json<ActiveList>().faults.length, 0);
  });
});

describe('controller-paused', () => {
  test('nothing converges and the pod is not Ready; unpausing converges what queued up', async () => {
    assert.equal((await put('controller-paused')).status, 200);
    assert.equal(podReady(controllerPod()), 'False');
    const container = (controllerPod().status as { containerStatuses: { ready: boolean }[] })
      .containerStatuses[0]!;
    assert.equal(container.ready, false);
    const deployment = h.store.get('deployments', NODEGROUP_NAMESPACE, 'nodegroup-controller-manager');
    assert.equal((deployment.status as { readyReplicas: number }).readyReplicas, 0);

    assert.equal((await bind('edge-a', 'nodes', 'worker-1')).status, 200);
    await h.request('POST', `${KAPI}/nodegroups`, { metadata: { name: 'paused-new' } });
    await waitFor('the paused controller to pass over its queue', () => h.controller.settled);
    assert.equal(labelsOf(h.store, 'nodes', 'worker-1')[NODE_GROUP_LABEL], undefined);
    assert.equal(annotationsOf(h.store, 'nodes', 'worker-1')[DESIRED_NODEGROUP_ANNOTATION], 'edge-a');
    assert.equal(h.store.get('nodegroups', undefined, 'paused-new').status, undefined);

    await off('controller-paused');
    await waitFor('converged', () => labelsOf(h.store, 'nodes', 'worker-1')[NODE_GROUP_LABEL] === 'edge-a');
    await waitFor(
      'active',
      () => (h.store.get('nodegroups', undefined, 'paused-new').status as { state?: string })?.state,
    );
    assert.equal(podReady(controllerPod()), 'True');
  });
});

describe('stuck-finalizer', () => {
  test("the group's finalizer stays until the fault is cleared", async () => {
    await h.request('POST', `${KAPI}/nodegroups`, { metadata: { name: 'stuck' } });
    await put('stuck-finalizer', { nodegroup: 'stuck' });
    await h.request('DELETE', `${KAPI}/nodegroups/stuck`);
    await waitFor(
      'terminating',
      () =>
        (h.store.get('nodegroups', undefined, 'stuck').status as { state?: string })?.state === 'terminating',
    );
    await waitFor('the controller to finish its passes', () => h.controller.settled);
    const ng = (await h.request('GET', `${KAPI}/nodegroups/stuck`)).json();
    assert.deepEqual(ng.metadata.finalizers, [NODEGROUP_FINALIZER]);
    assert.ok(ng.metadata.deletionTimestamp);
    await off('stuck-finalizer');
    await waitFor('gone', () => !h.store.has('nodegroups', undefined, 'stuck'));
  });
});

describe('ippool-sync', () => {
  test('Warning events and a not-synced condition; annotations sync after recovery', async () => {
    await put('ippool-sync');
    await bind('edge-a', 'namespaces', 'monitoring');
    await waitFor(
      'namespace bound',
      () => labelsOf(h.store, 'namespaces', 'monitoring')[NODE_GROUP_LABEL] === 'edge-a',
    );
    await waitFor('condition False', () => {
      const conditions = (
        h.store.get('nodegroups', undefined, 'edge-a').status as {
          conditions?: { type: string; status: string }[];
        }
      ).conditions;
      return conditions?.find((c) => c.type === 'IPPoolSynced' && c.status === 'False');
    });
    assert.ok(
      eventsFor(h.store, 'edge-a').some((e) => e.type === 'Warning' && e.reason === 'IPPoolSyncFailed'),
    );
    assert.equal(annotationsOf(h.store, 'namespaces', 'monitoring')[ippoolKeyOf('edge-a')], undefined);

    await off('ippool-sync');
    await waitFor(
      'annotation synced',
      () => annotationsOf(h.store, 'namespaces', 'monitoring')[ippoolKeyOf('edge-a')],
    );
    const conditions = (
      h.store.get('nodegroups', undefined, 'edge-a').status as {
        conditions: { type: string; status: string }[];
      }
    ).conditions;
    assert.equal(conditions.find((c) => c.type === 'IPPoolSynced')!.status, 'True');
  });
});

describe('kapi-errors and latency', () => {
  test('kapi-errors answers the chosen status on matching routes, count times, then recovers', async () => {
    await put('kapi-errors', { pattern: '/nodegroups/edge-a$', status: 503, count: 2, method: 'GET' });
    assert.equal(
      (await h.request('GET', `${KAPI}/nodegroups`)).status,
      200,
      'the list does not match the regex',
    );
    assert.equal(
      (await h.request('PATCH', `${KAPI}/nodegroups/edge-a`, {})).status,
      200,
      'other methods pass',
    );
    for (let i = 0; i < 2; i++) {
      const res = await h.request('GET', `${KAPI}/nodegroups/edge-a`);
      assert.equal(res.status, 503);
      assert.match(res.type, /text\/plain/);
      assert.match(res.text, /503 Service Unavailable/);
    }
    assert.equal((await h.request('GET', `${KAPI}/nodegroups/edge-a`)).status, 200);
    assert.equal((await h.request('GET', FAULTS)).json<ActiveList>().faults.length, 0);
  });

  test('latency delays matching routes only', async () => {
    await put('latency', { pattern: 'edge-a', ms: 1500 });
    const start = performance.now();
    const order: string[] = [];
    const delayed = h.request('GET', `${KAPI}/nodegroups/edge-a`).then((res) => {
      order.push('matching');
      return res;
    });
    const other = await h.request('GET', `${KAPI}/nodegroups?limit=1`);
    order.push('other');
    assert.equal(other.status, 200);
    assert.equal((await delayed).status, 200);
    // Ordering, not a stopwatch: the other route answered while the matching one still waited.
    assert.deepEqual(order, ['other', 'matching']);
    assert.ok(performance.now() - start >= 1495, 'the matching route waited at least the delay');
    await off('latency');
  });
});

test('token-expiry calls expireTokens', async () => {
  const before = h.expiredTokens;
  assert.equal((await put('token-expiry')).status, 200);
  assert.equal(h.expiredTokens, before + 1);
  await off('token-expiry');
});

test('reset clears faults and restores the fixture', async () => {
  await put('controller-paused');
  await h.request('POST', `${KAPI}/nodegroups`, { metadata: { name: 'to-be-reset' } });
  const res = await h.request('POST', '/sandbox/v1/reset');
  assert.equal(res.status, 200);
  assert.equal((await h.request('GET', FAULTS)).json<ActiveList>().faults.length, 0);
  assert.equal(h.store.has('nodegroups', undefined, 'to-be-reset'), false);
  assert.equal(podReady(controllerPod()), 'True');
  assert.equal((await h.request('GET', '/sandbox/v1/reset')).status, 405);
  // The controller runs on after a reset.
  await bind('edge-a', 'nodes', 'worker-2');
  await waitFor(
    'bound after reset',
    () => labelsOf(h.store, 'nodes', 'worker-2')[NODE_GROUP_LABEL] === 'edge-a',
  );
});
