import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineFault } from '../../../src/sandbox/faults/fault';
import { FAULT_MODULES } from '../../../src/sandbox/faults/modules';
import { Faults } from '../../../src/sandbox/faults/registry';
import { integer } from '../../../src/sandbox/faults/schema';

test('a fault is a module: the registry runs a new one from its entry alone', async () => {
  const calls: string[] = [];
  const fake = defineFault<{ level: number }>({
    name: 'fake',
    summary: 'a test fault',
    options: { level: integer(1, 3, 'how bad') },
    onSet: (_env, o) => calls.push(`set ${o.level}`),
    onClear: (_env, o) => calls.push(`clear ${o.level}`),
    blocks: (_o, step) => step.step === 'reconcile',
  });
  const faults = new Faults({}, [...FAULT_MODULES, fake]);
  assert.throws(
    () => faults.set('fake', { level: 9 }),
    /fault "fake": option "level" must be an integer from 1 to 3/,
  );
  faults.set('fake', { level: 2 });
  assert.equal(faults.blocks({ step: 'reconcile' }), true);
  faults.clear();
  assert.deepEqual(calls, ['set 2', 'clear 2']);
  assert.throws(() => faults.set('nope', {}), /unknown fault "nope": the faults are .*fake/);
});
