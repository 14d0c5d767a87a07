/**
 * The assertion steps as an operator sees them fail, through cucumber on the default profile:
 * the readable diff (path, expected, actual) and an unknown kind word listing the served kinds,
 * in the runner's summary and in reports/summary.md.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runRunbooks } from '../cucumber-harness';

const reports = mkdtempSync(join(tmpdir(), 'assert-steps-'));
after(() => rmSync(reports, { recursive: true, force: true }));

test('a failed match shows the differing paths; an unknown kind lists the known ones', async () => {
  const run = await runRunbooks(
    ['test/fixtures/assert/mismatch.feature', '--world-parameters', '{"waitTimeoutMs":300}'],
    { RUNBOOK_ALLURE: 'off', RUNBOOK_REPORTS_DIR: reports },
  );
  assert.equal(run.code, 1, run.out);
  const out = `${run.out}\n${readFileSync(join(reports, 'summary.md'), 'utf8')}`;
  assert.match(out, /2 scenarios \(2 failed\)/);
  assert.match(out, /expected node worker-3 to match, but it did not within 300 ms; 2 difference\(s\)/);
  assert.match(out, /metadata\.labels\[apps\.edgewize\.io\/nodegroup\]: expected "site", actual \(absent\)/);
  assert.match(out, /status\.addresses: expected \[\{"type":"InternalIP"\}\], actual .*lengths differ/);
  assert.match(out, /unknown kind "gadget": the API serves .*configmap.*node.*nodegroup.*pod/);
});
