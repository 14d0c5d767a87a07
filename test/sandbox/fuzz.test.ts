import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSandbox } from '../../src/sandbox/sandbox';
import { fuzzSandbox } from './fuzz';

test('20,000 seeded fuzz requests to both listeners: no 5xx, no reset, store unchanged when refused', async () => {
  const sandbox = await startSandbox();
  try {
    const result = await fuzzSandbox(sandbox, { seed: 17, count: 20_000, timeBudgetMs: 60_000 });
    assert.deepEqual(result.failures, []);
    assert.equal(result.sent, 20_000, `only ${result.sent} sent within the time budget`);
    assert.ok(result.unchangedChecks > 100, 'refused batches were checked');
    assert.equal((await fetch(`${sandbox.url}/version`)).status, 200, 'still serving');
  } finally {
    await sandbox.stop();
  }
});
