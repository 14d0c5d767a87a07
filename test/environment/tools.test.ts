/**
 * kubectl (always) and Java (when a report is asked for) are checked when a run starts, not found
 * missing in the middle of it: a specific message and exit code 17, nothing run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EnvironmentError } from '../../src/environment/errors';
import { checkTools } from '../../src/environment/tools';
import { runRunbooks } from '../cucumber-harness';

const empty = mkdtempSync(join(tmpdir(), 'no-tools-'));
after(() => rmSync(empty, { recursive: true, force: true }));

test('kubectl and Java are found on PATH, and named when they are not', () => {
  checkTools({ kubectl: true, java: true });
  assert.throws(
    () => checkTools({ kubectl: true, java: true }, { PATH: empty }),
    (err: unknown) =>
      err instanceof EnvironmentError &&
      err.code === 'ENV_TOOL_MISSING' &&
      err.exitCode === 17 &&
      /kubectl \(https:\/\/kubernetes\.io/.test(err.message) &&
      /Java for the report: .*no java on PATH/.test(err.message),
  );
  checkTools({ java: false, kubectl: false }, { PATH: empty }); // nothing asked, nothing needed
});

test('the runner stops before anything runs when kubectl is missing', async () => {
  const run = await runRunbooks(['features/nodegroup/inspect.feature'], { PATH: empty, HOME: empty });
  assert.equal(run.code, 17, run.out);
  assert.match(run.out, /runbooks: needed and not found: kubectl .*\(nothing was run\)/);
});
