/**
 * The summary of an acceptance run opens with the verdict table; any other run's summary (one
 * with a scenario that names no capability, or none at all) has no verdict.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildSummary } from '../../src/report/summary-md';
import { CapabilityCollector, renderVerdict } from '../../src/runbook/acceptance';
import { verdictOf } from '../../support/summary-formatter';

const reportsDir = mkdtempSync(join(tmpdir(), 'summary-verdict-'));
after(() => rmSync(reportsDir, { recursive: true, force: true }));

const emptyRun = {
  scenarios: [],
  runProblems: [],
  steps: {},
  retried: 0,
  durationMs: 10,
  success: true,
};

/** A collector that saw one scenario per entry: its capability tag, or none. */
function collect(capabilities: (string | undefined)[]): CapabilityCollector {
  const c = new CapabilityCollector('runs/r1/');
  capabilities.forEach((cap, i) => {
    c.onMessage({
      pickle: { id: `p${i}`, name: `scenario ${i}`, tags: cap ? [{ name: `@capability:${cap}` }] : [] },
    });
    c.onMessage({ testCase: { id: `t${i}`, pickleId: `p${i}` } });
    c.onMessage({ testCaseStarted: { id: `s${i}`, testCaseId: `t${i}` } });
    c.onMessage({ testStepFinished: { testCaseStartedId: `s${i}`, testStepResult: { status: 'PASSED' } } });
  });
  c.onMessage({ testRunFinished: { success: true } });
  return c;
}

describe('the verdict in the summary', () => {
  test('an acceptance run: the summary opens with the verdict table and its final line', () => {
    const capabilities = collect(['deployment', 'rbac']);
    const verdict = verdictOf(capabilities, { RUNBOOK_RUN_ID: 'r1' });
    assert.equal(verdict, renderVerdict(capabilities.results(), { runId: 'r1' }));
    const { text } = buildSummary({ runId: 'r1', reportsDir, run: emptyRun, verdict: verdict! });
    const lines = text.split('\n');
    assert.equal(lines[0], '# Runbook run r1: PASSED');
    assert.equal(lines[2], '## Acceptance verdict');
    assert.ok(text.indexOf('| rbac: ') < text.indexOf('## Environment'), text);
    assert.ok(text.indexOf('**ACCEPTED**') < text.indexOf('## Environment'), text);
  });

  test('a run with a scenario that names no capability, or with none: no verdict', () => {
    assert.equal(verdictOf(collect(['deployment', undefined])), undefined);
    assert.equal(verdictOf(collect([])), undefined);
    const { text } = buildSummary({ runId: 'r2', reportsDir, run: emptyRun });
    assert.doesNotMatch(text, /Acceptance verdict/);
  });
});
