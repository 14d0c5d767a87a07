/**
 * The main job end to end on one runbook: it runs the runbooks against the sandbox, writes
 * cucumber's HTML and JUnit XML for CI systems, generates the Allure report and ends by printing
 * where the report and the single file are. A run refused before it starts makes no report.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'report-main-job-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function mainJob(reports: string, args: string[]) {
  return spawnSync(process.execPath, [join(root, 'dist/scripts/main-job.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HOME: scratch, RUNBOOK_REPORTS_DIR: reports },
  });
}

describe('the main job', () => {
  test('runs the runbooks, writes cucumber HTML and JUnit XML, and ends with the report paths', () => {
    const reports = join(scratch, 'reports');
    const run = mainJob(reports, ['features/nodegroup/inspect.feature']);
    const out = run.stdout + run.stderr;
    assert.equal(run.status, 0, out);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines.at(-2)!, new RegExp(`^report: ${reports}/allure-report/index\\.html \\(4 results, `));
    assert.equal(lines.at(-1), `single file: ${reports}/runbooks-report.html`);
    assert.match(readFileSync(join(reports, 'allure-report', 'index.html'), 'utf8'), /<!DOCTYPE html>/);
    assert.match(
      readFileSync(join(reports, 'runbooks-report.html'), 'utf8'),
      /List the nodegroups|<!DOCTYPE html>/,
    );
    const junit = readFileSync(join(reports, 'cucumber-junit.xml'), 'utf8');
    assert.match(junit, /<testsuite [^>]*tests="4"/);
    assert.match(junit, /<testcase [^>]*name="List the nodegroups"/);
    assert.match(readFileSync(join(reports, 'cucumber-report.html'), 'utf8'), /Inspect nodegroups/);
  });

  test('a failing runbook still gets its report (exit 1, the report paths last)', () => {
    const reports = join(scratch, 'failing');
    const feature = join(scratch, 'failing.feature');
    writeFileSync(
      feature,
      'Feature: A deliberately failing check\n\n  Scenario: A nodegroup that is not there is listed\n' +
        '    Then the nodegroup list includes "no-such-nodegroup"\n',
    );
    const run = mainJob(reports, [feature]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines.at(-2)!, /^report: .*allure-report\/index\.html \(1 results, /);
    assert.equal(lines.at(-1), `single file: ${reports}/runbooks-report.html`);
    const summary = JSON.parse(
      readFileSync(join(reports, 'allure-report', 'widgets', 'summary.json'), 'utf8'),
    );
    const { passed, failed, broken } = summary.statistic;
    assert.deepEqual({ passed, failed, broken }, { passed: 0, failed: 1, broken: 0 });
  });

  test('a run refused before it starts generates no report', () => {
    const reports = join(scratch, 'refused');
    const run = mainJob(reports, ['--world-parameters', 'not json', 'features/nodegroup/inspect.feature']);
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(run.stdout, /--world-parameters is not valid JSON/);
    assert.doesNotMatch(run.stdout, /report:/);
    assert.equal(existsSync(join(reports, 'allure-report')), false);
  });
});
