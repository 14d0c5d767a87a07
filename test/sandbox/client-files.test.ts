/** A sandbox that cannot write its client files stops and says where, instead of serving on. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandbox } from '../../src/sandbox/sandbox';

test('an env file in a folder that does not exist: the start fails naming the folder', async () => {
  const dir = join('/nonexistent-sandbox-folder', 'deeper');
  await assert.rejects(startSandbox({ envFile: join(dir, 'sandbox.env') }), (err: Error) => {
    assert.match(
      err.message,
      /^cannot write the sandbox's client files in \/nonexistent-sandbox-folder\/deeper: ENOENT/,
    );
    return true;
  });
});
