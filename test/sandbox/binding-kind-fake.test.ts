/**
 * Adding a binding kind is a table entry: a fake kind (IPPools marked by a label) added to the
 * table at run time is served by the KAPI's bind routes and reconciled by the controller, with the
 * reasons its entry derives, and a group's delete waits for it as its entry says.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defineBindingKind, forgetBindingKind } from '../../src/binding-kinds';
import { eventsFor, KAPI, labelsOf, useHarness, waitFor } from './nodegroup-harness';

// The table entry alone: everything else (paths, reasons, flag) derives from it.
before(() =>
  defineBindingKind({
    kind: 'pool',
    targetKind: 'IPPool',
    group: 'network.kubesphere.io',
    version: 'v1alpha1',
    resource: 'ippools',
    kapiSegment: 'pools',
    mark: { on: 'label', key: 'example.io/pool-group' },
    binding: { releasedOnDelete: false },
  }),
);
after(() => forgetBindingKind('pool'));

const h = useHarness(async (harness) => {
  await harness.request('POST', `${KAPI}/nodegroups`, { metadata: { name: 'ng-fake' } });
  harness.store.create('ippools', {
    apiVersion: 'network.kubesphere.io/v1alpha1',
    kind: 'IPPool',
    metadata: { name: 'pool-1' },
    spec: { cidr: '10.99.0.0/24' },
  });
});

test('a kind added to the table binds, unbinds and holds a delete through the sandbox', async () => {
  const groupOf = () => labelsOf(h.store, 'ippools', 'pool-1')['example.io/pool-group'];
  assert.equal((await h.request('POST', `${KAPI}/nodegroups/ng-fake/pools/pool-1`)).status, 200);
  await waitFor('pool-1 bound', () => groupOf() === 'ng-fake');
  assert.ok(eventsFor(h.store, 'pool-1').some((e) => e.reason === 'IPPoolBound'));
  assert.ok(eventsFor(h.store, 'ng-fake').some((e) => e.message === 'IPPool pool-1 bound'));

  assert.equal((await h.request('DELETE', `${KAPI}/nodegroups/ng-fake`)).status, 200);
  await waitFor('the delete waits for the pool', () =>
    eventsFor(h.store, 'ng-fake').some((e) => /waiting for 1 pool\(s\).*: pool-1/.test(e.message)),
  );
  assert.equal((await h.request('DELETE', `${KAPI}/nodegroups/ng-fake/pools/pool-1`)).status, 200);
  await waitFor('pool-1 unbound', () => groupOf() === undefined);
  await waitFor('the group is gone', () => !h.store.has('nodegroups', undefined, 'ng-fake'));
  assert.equal((await h.request('POST', `${KAPI}/nodegroups/x/nopes/pool-1`)).status, 404);
});
