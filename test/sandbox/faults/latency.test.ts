import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Faults } from '../../../src/sandbox/faults/registry';
import { fakeRequest } from './helpers';

test('latency delays matching routes and never answers', async () => {
  const faults = new Faults();
  faults.set('latency', { pattern: 'edge-a$', ms: 40 });
  const started = performance.now();
  assert.equal(await faults.intercept(fakeRequest('GET', '/kapis/x/nodegroups/edge-a').ctx), false);
  assert.ok(performance.now() - started >= 35, 'the matching route waited');
  const quick = performance.now();
  await faults.intercept(fakeRequest('GET', '/kapis/x/nodegroups/edge-b').ctx);
  assert.ok(performance.now() - quick < 35, 'another route did not wait');
  assert.throws(() => faults.set('latency', { pattern: '/x', ms: 60_001 }), /from 0 to 60000/);
});
