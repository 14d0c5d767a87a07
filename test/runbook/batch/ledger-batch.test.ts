/** Ledger.recordAll: a batch's entries in one write, numbered on from single entries, undone as any. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Ledger } from '../../../src/runbook';

const dir = mkdtempSync(join(tmpdir(), 'ledger-batch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('recordAll writes one line per change with consecutive numbers; refusals void their own', () => {
  const ledger = Ledger.open(dir, {
    runId: '260101000000-batch',
    worker: '0',
    pid: 1,
    startedAt: new Date(0).toISOString(),
    target: { kind: 'sandbox', host: 'http://127.0.0.1:1' },
  });
  ledger.record('s', { op: 'create-nodegroup', name: 'g' });
  const entries = ledger.recordAll(
    's',
    ['a', 'b', 'c'].map((target) => ({ op: 'bind' as const, kind: 'node' as const, group: 'g', target })),
  );
  assert.deepEqual(
    entries.map((e) => e.seq),
    [2, 3, 4],
  );
  assert.deepEqual(ledger.recordAll('s', []), []);
  ledger.markUndone(3, 'refused');
  const lines = readFileSync(ledger.file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 1 + 1 + 3 + 1, 'header, single entry, three batch entries, one undone line');
  assert.deepEqual(
    ledger.pending('s').map((e) => e.seq),
    [4, 2, 1],
  );
});
