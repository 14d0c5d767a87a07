/**
 * summary.md from a run's evidence, without a cluster: a change whose undo failed is listed as
 * kept with the undo's error and the revert command; a change undone is listed as undone; reads
 * that changed nothing are not listed; the environment comes from the run's fragments; no secret
 * in the evidence's text reaches the summary. And the progress output names a long step.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fieldChanges } from '../../src/report/changes';
import { stepOutcome } from '../../src/report/outcome';
import type { RunOutcome } from '../../src/report/run-collector';
import { buildSummary } from '../../src/report/summary-md';
import type { RunRecord } from '../../src/runbook/evidence';
import { runRunbooks } from '../cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'report-summary-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const node = (labels: Record<string, string>) => ({ kind: 'Node', metadata: { name: 'worker-1', labels } });
const group = (alias: string) => ({
  kind: 'NodeGroup',
  metadata: { name: 'g-1', labels: {}, finalizers: ['f'] },
  spec: { alias },
  status: { state: 'active' },
});

describe('summary.md', () => {
  const runId = '260101000000-abcdef';
  const reports = join(scratch, 'reports');
  const runDir = join(reports, 'runs', runId);
  mkdirSync(runDir, { recursive: true });
  const record: RunRecord = {
    runId,
    worker: '0',
    startedAt: '',
    target: { kind: 'live', host: 'https://ks.example', kubeServer: 'https://k8s.example' },
    scenarios: [
      {
        name: 'Bind and keep',
        uri: 'features/x.feature',
        tags: [],
        steps: [
          {
            text: 'I bind node "worker-1" to nodegroup "g-1"',
            operations: [
              { kind: 'snapshot', label: 'before', resource: 'node', name: 'worker-1', object: node({}) },
              {
                kind: 'ledger',
                action: 'recorded',
                entry: { change: { op: 'bind', kind: 'node', group: 'g-1', target: 'worker-1' } },
              },
              {
                kind: 'snapshot',
                label: 'after',
                resource: 'node',
                name: 'worker-1',
                object: node({ 'apps.edgewize.io/nodegroup': 'g-1' }),
              },
            ],
          },
          {
            text: 'I patch nodegroup "g-1" setting alias to "B"',
            operations: [
              { kind: 'snapshot', label: 'before', resource: 'nodegroup', name: 'g-1', object: group('A') },
              { kind: 'snapshot', label: 'after', resource: 'nodegroup', name: 'g-1', object: group('B') },
              { kind: 'note', text: 'Authorization: Bearer abcdefgh.ijk' },
            ],
          },
          {
            text: 'node "worker-1" has label "x=y"',
            operations: [
              { kind: 'snapshot', label: 'after', resource: 'node', name: 'worker-1', object: node({}) },
            ],
          },
        ],
        cleanup: [
          {
            kind: 'ledger',
            action: 'undone',
            entry: { change: { op: 'bind', kind: 'node', group: 'g-1', target: 'worker-1' } },
            error: 'POST /kapis/... -> 503: unavailable',
          },
          {
            kind: 'ledger',
            action: 'undone',
            entry: { change: { op: 'patch-nodegroup', name: 'g-1' } },
          },
        ],
      },
    ],
  };
  writeFileSync(join(runDir, 'evidence-worker-0.json'), JSON.stringify(record));
  writeFileSync(
    join(runDir, 'environment-worker-0.json'),
    JSON.stringify({ 'target.kind': 'live', 'target.url': 'https://ks.example', user: 'ops-jane' }),
  );
  const cleanupFailed = stepOutcome({
    status: 'FAILED',
    message: 'CleanupError: [RUNBOOK_CLEANUP] undoing 1 change failed\n    at x (y.js:1:1)',
  });
  const run: RunOutcome = {
    scenarios: [
      {
        name: 'Bind and keep',
        uri: 'features/x.feature',
        outcome: cleanupFailed,
        step: 'hook "undo"',
        findings: [],
        attempts: 1,
      },
    ],
    runProblems: [],
    steps: { PASSED: 3 },
    retried: 0,
    durationMs: 1200,
    success: false,
  };

  test('kept and undone changes, field by field, the revert command, the identity', () => {
    const { text, changes } = buildSummary({ runId, reportsDir: reports, run });
    assert.deepEqual(
      changes.map((c) => [
        c.resource,
        c.name,
        c.outcome,
        c.fields.map((f) => `${f.field}: ${f.before} -> ${f.after}`),
      ]),
      [
        ['node', 'worker-1', 'kept', ['labels.apps.edgewize.io/nodegroup: (absent) -> g-1']],
        ['nodegroup', 'g-1', 'undone', ['spec.alias: A -> B']],
      ],
    );
    assert.match(
      text,
      /^\| node worker-1 \| labels\.apps\.edgewize\.io\/nodegroup \| \(absent\) -> g-1 \| kept \(undo failed: POST \/kapis\/\.\.\. -> 503: unavailable\) \| Bind and keep: I bind node "worker-1" to nodegroup "g-1" \|$/m,
    );
    assert.match(text, /^\| nodegroup g-1 \| spec\.alias \| A -> B \| undone \|/m);
    assert.match(
      text,
      /^1 object\(s\) kept their changes\. To undo them: `npm run revert -- --run-id 260101000000-abcdef`$/m,
    );
    assert.match(text, /^\| identity \| ops-jane \|$/m);
    assert.match(text, /^\| target \| live https:\/\/ks\.example \|$/m);
    assert.match(text, /^\| FAILED \| Changes left behind \| Bind and keep \| features\/x\.feature \|$/m);
    assert.match(text, /^\[RUNBOOK_CLEANUP\] CleanupError: undoing 1 change failed$/m);
    assert.doesNotMatch(text, /abcdefgh/);
  });

  test('fields: created, deleted, changed; unchanged fields are not listed', () => {
    assert.deepEqual(fieldChanges('node', undefined, node({})), [
      { field: '(object)', before: '(absent)', after: 'created' },
    ]);
    assert.deepEqual(fieldChanges('node', node({}), undefined), [
      { field: '(object)', before: 'existed', after: 'deleted' },
    ]);
    assert.deepEqual(fieldChanges('node', node({ a: '1', b: '2' }), node({ a: '1', b: '3' })), [
      { field: 'labels.b', before: '2', after: '3' },
    ]);
  });
});

describe('progress', () => {
  test('a step running longer than the threshold is named with its scenario', async () => {
    const run = await runRunbooks(
      [
        '--name',
        'settled',
        '--world-parameters',
        '{"waitTimeoutMs":3000}',
        'test/fixtures/mistakes/mistakes.feature',
      ],
      {
        HOME: scratch,
        RUNBOOK_REPORTS_DIR: join(scratch, 'progress'),
        RUNBOOK_RUN_ID: '',
        RUNBOOK_PROGRESS_AFTER_MS: '300',
      },
    );
    assert.equal(run.code, 1, run.out);
    assert.match(
      run.out,
      /^ {2}running \d+ s: An expectation the settled node does not meet > node "\$\{NODE\}" has label "apps\.edgewize\.io\/nodegroup=somewhere-else"$/m,
    );
  });
});
