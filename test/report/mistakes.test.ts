/**
 * A run an ops reviewer can trust, tried as one would: a fixture feature holding one mistake per
 * scenario (test/fixtures/mistakes) run with two real runbook features through the runner, on the
 * ci profile (two workers, JUnit and messages). Each scenario's status and category are asserted
 * in the Allure results (and as `allure generate` sorts them), in the single-file report, in
 * JUnit and in summary.md; the console stays short; summary.md lists exactly the objects the
 * evidence says changed; a dry run afterwards leaves every result file byte-identical.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Category, categorize } from '../../src/report/categories';
import { generateReport } from '../../src/report/generate';
import { singleFileEntries } from '../../src/report/single-file';
import type { RunRecord } from '../../src/runbook/evidence';
import { type FinishedRun, runRunbooks } from '../cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'report-mistakes-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const reports = join(scratch, 'reports');
const resultsDir = join(reports, 'allure-results');
const FEATURES = [
  'test/fixtures/mistakes/mistakes.feature',
  'features/binding/node.feature:5',
  'features/nodegroup/lifecycle.feature:12',
];

/** Each mistake: cucumber's status, the Allure status, the category (who must act). */
const EXPECTED: Record<string, [string, string, string]> = {
  'A step nobody wrote': ['UNDEFINED', 'broken', 'Runbook errors'],
  'A node name with a typo': ['FAILED', 'broken', 'Runbook errors'],
  'An expectation the settled node does not meet': ['FAILED', 'failed', 'Product defects'],
  'A kind word the runbooks do not know': ['UNDEFINED', 'broken', 'Runbook errors'],
  'A variable nobody set': ['FAILED', 'broken', 'Runbook errors'],
};
const PASSING = [
  'Bind a node and unbind it again',
  'Patch the description of a nodegroup, leaving the rest alone',
];

interface AllureResult {
  name: string;
  status: string;
  statusDetails?: { message?: string };
}
const readResults = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as AllureResult);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
const fingerprint = (dir: string) =>
  Object.fromEntries(
    filesUnder(dir).map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]),
  );

/** Cucumber's own status per scenario, read from its message stream (worst step, cucumber's order). */
function cucumberStatuses(ndjson: string): Map<string, string> {
  const rank = ['UNKNOWN', 'PASSED', 'SKIPPED', 'PENDING', 'UNDEFINED', 'AMBIGUOUS', 'FAILED'];
  const pickles = new Map<string, string>();
  const cases = new Map<string, string>();
  const started = new Map<string, string>();
  const worst = new Map<string, string>();
  for (const line of ndjson.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.pickle) pickles.set(e.pickle.id, e.pickle.name);
    if (e.testCase) cases.set(e.testCase.id, e.testCase.pickleId);
    if (e.testCaseStarted)
      started.set(e.testCaseStarted.id, pickles.get(cases.get(e.testCaseStarted.testCaseId)!)!);
    if (e.testStepFinished) {
      const name = started.get(e.testStepFinished.testCaseStartedId)!;
      const status = e.testStepFinished.testStepResult.status as string;
      const now = worst.get(name) ?? 'PASSED';
      worst.set(name, rank.indexOf(status) > rank.indexOf(now) ? status : now);
    }
  }
  return worst;
}

describe('a run with a mistake in each scenario', () => {
  let run: FinishedRun;
  let results: AllureResult[];
  const env = { HOME: scratch, RUNBOOK_REPORTS_DIR: reports, RUNBOOK_RUN_ID: '' };
  const byName = (name: string) => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `no result "${name}": ${results.map((x) => x.name).join(', ')}\n${run.out}`);
    return r;
  };

  before(async () => {
    run = await runRunbooks(['-p', 'ci', '--world-parameters', '{"waitTimeoutMs":3000}', ...FEATURES], env);
    results = readResults(resultsDir);
  });

  test('the run fails (an undefined step is never a pass) and each result has the status cucumber gave', () => {
    assert.equal(run.code, 1, run.out);
    assert.equal(results.length, Object.keys(EXPECTED).length + PASSING.length, run.out);
    const cucumber = cucumberStatuses(readFileSync(join(reports, 'cucumber-messages.ndjson'), 'utf8'));
    for (const [name, [status, allure]] of Object.entries(EXPECTED)) {
      assert.equal(cucumber.get(name), status, name);
      assert.equal(byName(name).status, allure, `${name}: ${byName(name).statusDetails?.message}`);
    }
    for (const name of PASSING) {
      assert.equal(cucumber.get(name), 'PASSED', `${name}\n${run.out}`);
      assert.equal(byName(name).status, 'passed', name);
    }
  });

  test('each failure sorts into the category of who must act, by its code', () => {
    const categories = JSON.parse(readFileSync(join(resultsDir, 'categories.json'), 'utf8')) as Category[];
    for (const [name, [, , category]] of Object.entries(EXPECTED))
      assert.deepEqual(categorize(byName(name), categories), [category], byName(name).statusDetails?.message);
    assert.match(
      byName('A node name with a typo').statusDetails!.message!,
      /^\[KAPI_HTTP_404\] HttpError: POST /,
    );
    assert.match(byName('A step nobody wrote').statusDetails!.message!, /^\[CUCUMBER_UNDEFINED_STEP\] /);
    assert.equal(
      byName('A kind word the runbooks do not know').statusDetails!.message!,
      '[CUCUMBER_UNDEFINED_STEP] UndefinedStep: no step definition matches: "pod" is not a {kind} word ' +
        '(node|namespace|workspace); the step reads: I bind {kind} {string} to nodegroup {string}',
    );
  });

  test('the console: at most 15 lines per failing scenario, the one field last seen, no YAML', () => {
    const lines = run.out.split('\n');
    const starts = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => /^ {2}(FAILED|UNDEFINED) \[/.test(l))
      .map(([, i]) => i);
    assert.equal(starts.length, Object.keys(EXPECTED).length, run.out);
    for (let k = 0; k < starts.length; k++) {
      const end = k + 1 < starts.length ? starts[k + 1]! : lines.findIndex((l) => /^ {2}summary /.test(l));
      assert.ok(
        end - starts[k]! <= 15,
        `a failure of ${end - starts[k]!} lines:\n${lines.slice(starts[k], end).join('\n')}`,
      );
    }
    assert.ok(lines.length <= 5 * 15 + 20, `${lines.length} console lines:\n${run.out}`);
    assert.match(run.out, /^ {4}last seen: label apps\.edgewize\.io\/nodegroup=settled-\S+ \(settled: /m);
    assert.match(run.out, /^ {4}evidence: \S+\/runs\/\S+ /m);
    assert.doesNotMatch(run.out, /^\s+(apiVersion|kind|metadata):/m, 'no YAML on the console');
    assert.doesNotMatch(run.out, /"kubernetes\.io\/hostname"/, 'not the whole node');
  });

  test('summary.md: totals, each scenario with status and category, exactly the objects the evidence changed', () => {
    const summary = readFileSync(join(reports, 'summary.md'), 'utf8');
    assert.match(summary, /^# Runbook run \S+: FAILED$/m);
    assert.match(summary, /^\| identity \| admin \|$/m);
    assert.match(summary, /^- scenarios: 7 \(2 passed, 2 undefined, 3 failed\)$/m);
    for (const [name, [status, , category]] of Object.entries(EXPECTED))
      assert.match(summary, new RegExp(`^\\| ${status} \\| ${category} \\| ${name} \\|`, 'm'), name);
    for (const name of PASSING) assert.match(summary, new RegExp(`^\\| PASSED \\|  \\| ${name} \\|`, 'm'));

    // The objects the evidence shows changed within a step (a before and an after that differ).
    const runDir = join(reports, 'runs');
    const [runId] = readdirSync(runDir);
    const records = readdirSync(join(runDir, runId!))
      .filter((f) => f.startsWith('evidence-worker-'))
      .map((f) => JSON.parse(readFileSync(join(runDir, runId!, f), 'utf8')) as RunRecord);
    const changed = new Set<string>();
    for (const s of records.flatMap((r) => r.scenarios))
      for (const step of s.steps) {
        const first = new Map<string, string>();
        const last = new Map<string, string>();
        for (const op of step.operations)
          if (op.kind === 'snapshot') {
            const key = `${op.resource} ${op.name}`;
            const view = JSON.stringify(pick(op.object));
            if (op.label === 'before' && !first.has(key)) first.set(key, view);
            if (op.label === 'after') last.set(key, view);
          }
        for (const [key, b] of first) if (last.has(key) && last.get(key) !== b) changed.add(key);
      }
    const listed = new Set(
      summary
        .split('## Changes')[1]!
        .split('## Failures')[0]!
        .split('\n')
        .filter((l) => l.startsWith('| ') && !l.startsWith('| object') && !l.startsWith('|---'))
        .map((l) => l.split(' | ')[0]!.slice(2)),
    );
    assert.deepEqual([...listed].sort(), [...changed].sort(), summary);
    assert.ok(listed.size >= 3, summary);
    assert.match(
      summary,
      /\| node worker-3 \| labels\.apps\.edgewize\.io\/nodegroup \| \(absent\) -> site-\S+ \| undone \|/,
    );
    assert.match(summary, /\| spec\.description \| .* -> Rack 7, second floor \| undone \|/);
    assert.match(summary, /Every change was undone: nothing to revert\./);
    assert.match(summary, /- node-labels FAIL: node wroker-3 not found/);
    assert.doesNotMatch(summary, /P@88w0rd|eyJ[A-Za-z0-9_-]{8,}\./, 'no secret');
  });

  test('JUnit: no mistake reads as a pass', () => {
    const junit = readFileSync(join(reports, 'cucumber-junit.xml'), 'utf8');
    for (const name of Object.keys(EXPECTED)) {
      const at = junit.indexOf(`name="${name}"`);
      assert.ok(at > 0, name);
      const body = junit.slice(at, junit.indexOf('</testcase>', at));
      assert.match(body, /<failure/, `${name}: ${body}`);
    }
  });

  test('allure generate: categories and the single-file report show the same statuses', async () => {
    const report = await generateReport({
      resultsDir,
      reportDir: join(reports, 'allure-report'),
      singleFile: join(reports, 'runbooks-report.html'),
    });
    const tree = JSON.parse(readFileSync(join(report.reportDir, 'data', 'categories.json'), 'utf8')) as {
      children: { name: string; children: { children?: { name: string }[] }[] }[];
    };
    const sorted = Object.fromEntries(
      tree.children.map((c) => [
        c.name,
        c.children.flatMap((m) => (m.children ?? []).map((t) => t.name)).sort(),
      ]),
    );
    const want: Record<string, string[]> = {};
    for (const [name, [, , category]] of Object.entries(EXPECTED))
      want[category] = [...(want[category] ?? []), name];
    for (const names of Object.values(want)) names.sort();
    assert.deepEqual(sorted, want);
    const entries = singleFileEntries(readFileSync(report.singleFile, 'utf8'));
    const cases = [...entries]
      .filter(([path]) => /^data\/test-cases\/.+\.json$/.test(path))
      .map(([, body]) => JSON.parse(body.toString('utf8')) as { name: string; status: string });
    for (const [name, [, allure]] of Object.entries(EXPECTED))
      assert.equal(cases.find((c) => c.name === name)?.status, allure, name);
    const summary = [...entries].find(
      ([path]) => path.startsWith('data/attachments/') && path.endsWith('.md'),
    );
    assert.ok(summary, 'summary.md is attached to the report');
    assert.match(summary[1].toString('utf8'), /^# Runbook run \S+: FAILED$/m);
  });

  test('a dry run afterwards clears and writes nothing of the last run', async () => {
    const beforeRun = fingerprint(reports);
    const dry = await runRunbooks(['-p', 'ci', '--dry-run', ...FEATURES], env);
    assert.equal(dry.code, 1, `an undefined step fails a dry run too\n${dry.out}`);
    assert.match(dry.out, /dry run: nothing was sent/);
    assert.deepEqual(fingerprint(reports), beforeRun);
  });
});

/** What an operation changes on an object (its existence, labels, annotations, finalizers, spec, state). */
function pick(obj: unknown): unknown {
  if (!obj) return null;
  const o = obj as { metadata: Record<string, unknown>; spec?: unknown; status?: { state?: unknown } };
  const { labels = {}, annotations = {}, finalizers = [], deletionTimestamp } = o.metadata;
  return { labels, annotations, finalizers, deletionTimestamp, spec: o.spec, state: o.status?.state };
}
