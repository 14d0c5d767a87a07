import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';
import { fakeRequest } from './helpers';

test('kapi-errors answers matching routes, text/plain on KAPI paths, and ends after count', async () => {
  const faults = new Faults();
  faults.set('kapi-errors', { pattern: '/nodegroups', status: 503, count: 2, method: 'get' });
  assert.equal(faults.list()[0]!.remaining, 2);
  const other = fakeRequest('POST', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups');
  assert.equal(await faults.intercept(other.ctx), false, 'another method passes');
  const first = fakeRequest('GET', '/kapis/infra.kubesphere.io/v1alpha1/nodegroups');
  assert.equal(await faults.intercept(first.ctx), true);
  assert.equal(first.answer.status, 503);
  assert.match(first.answer.body!, /^503 Service Unavailable/);
  const kube = fakeRequest('GET', '/apis/infra.kubesphere.io/v1alpha1/nodegroups');
  assert.equal(await faults.intercept(kube.ctx), true);
  assert.equal(JSON.parse(kube.answer.body!).reason, 'ServiceUnavailable');
  assert.equal(faults.isOn('kapi-errors'), false, 'count reached: switched itself off');
});

test('kapi-errors options are checked', () => {
  const faults = new Faults();
  assert.throws(() => faults.set('kapi-errors', { pattern: '/x', status: 200 }), /from 400 to 599, got 200/);
  assert.throws(() => faults.set('kapi-errors', { status: 503 }), /option "pattern" is required/);
  assert.throws(() => faults.set('kapi-errors', { pattern: '/x', status: 500, count: 0 }), /"count" must be/);
  assert.throws(
    () => faults.set('kapi-errors', { pattern: '/x', status: 500, method: 'G T' }),
    /HTTP method/,
  );
});
