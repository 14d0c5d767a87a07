/** Batch inputs: the table's rows (empty and duplicate rows named) and the bounded runner. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../src/runbook';
import { checkSelector, mapBounded, namesFromTable } from '../../../src/runbook/batch';

describe('namesFromTable', () => {
  test('a header naming the kind is skipped, cells are trimmed', () => {
    assert.deepEqual(namesFromTable('node', [['node'], [' w-1 '], ['w-2']]), ['w-1', 'w-2']);
    assert.deepEqual(namesFromTable('node', [['w-1']]), ['w-1']);
  });

  test('an empty row and a repeated name are named by row, and nothing is used', () => {
    assert.throws(
      () => namesFromTable('node', [['node'], ['w-1'], [''], ['w-1']]),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes('row 3 is empty') &&
        err.message.includes('row 4 repeats node w-1 of row 2') &&
        err.message.includes('nothing was changed'),
    );
  });

  test('a table without names, or with two columns, is refused', () => {
    assert.throws(() => namesFromTable('namespace', [['namespace']]), /names no namespace/);
    assert.throws(() => namesFromTable('node', [['w-1', 'x']]), /row 1 has 2 cells/);
  });

  test('an empty selector would pick everything: refused', () => {
    assert.throws(() => checkSelector('node', '  '), ConfigError);
    assert.equal(checkSelector('node', ' a=b '), 'a=b');
  });
});

describe('mapBounded', () => {
  test('never more than the limit in flight; every outcome kept in order', async () => {
    let inFlight = 0;
    let most = 0;
    const outcomes = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (n === 5) throw new Error('five');
      return n * 2;
    });
    assert.equal(most, 3);
    assert.deepEqual(
      outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message)),
      [2, 4, 6, 8, 'five', 12, 14],
    );
    await assert.rejects(
      mapBounded([1], 0, async () => 1),
      RangeError,
    );
  });
});
