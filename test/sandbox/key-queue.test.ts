/** The controllers' work queue: keys deduplicated, one pass per turn, nothing while stopped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { KeyQueue } from '../../src/sandbox/store/key-queue';

test('keys added in one turn are handled in one pass, each once; a stopped queue takes none', async () => {
  const passes: string[][] = [];
  const queue: KeyQueue = new KeyQueue(() => {
    passes.push([...queue.keys]);
    queue.keys.clear();
  });
  queue.add('ignored');
  assert.equal(queue.keys.size, 0, 'not started: nothing queued');
  assert.equal(queue.start(), true);
  assert.equal(queue.start(), false, 'already running');
  queue.add('a');
  queue.add('b');
  queue.add('a');
  assert.equal(queue.idle, false);
  await nextTurn();
  assert.deepEqual(passes, [['a', 'b']]);
  assert.equal(queue.idle, true);
  queue.add('c');
  queue.stop();
  await nextTurn();
  assert.deepEqual(passes, [['a', 'b']], 'a pass scheduled before stop does not run');
  assert.equal(queue.keys.size, 0);
});
