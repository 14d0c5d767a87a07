/**
 * The outcomes allure-cucumberjs alone gets wrong, in real Allure results: a pending step (it
 * shows skipped), an ambiguous step (it shows passed) and a scenario whose steps pass but whose
 * After hook fails (it shows passed; cucumber fails it). Step definitions of the test's own
 * register with the project's cucumber; the run goes through the runner like any other.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { categorize } from '../../src/report/categories';
import { PROJECT_ROOT, runRunbooks } from '../cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'report-hooks-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('pending, ambiguous, a failing After hook', () => {
  const reports = join(scratch, 'reports');
  let out = '';
  let code: number | null;
  let results: { name: string; status: string; statusDetails?: { message?: string } }[];
  before(async () => {
    const cucumber = JSON.stringify(require.resolve('@cucumber/cucumber', { paths: [PROJECT_ROOT] }));
    writeFileSync(
      join(scratch, 'extra-steps.js'),
      [
        `const { After, When } = require(${cucumber});`,
        "When('a step not written yet', () => 'pending');",
        "When('I list the nodegroups', () => {});",
        "After({ tags: '@undo-fails' }, () => {",
        "  throw Object.assign(new Error('undoing 1 change failed: run the revert command'), { code: 'RUNBOOK_CLEANUP' });",
        '});',
        '',
      ].join('\n'),
    );
    mkdirSync(join(scratch, 'features'), { recursive: true });
    writeFileSync(
      join(scratch, 'features', 'outcomes.feature'),
      [
        'Feature: outcomes',
        '  Scenario: pending',
        '    When a step not written yet',
        '  Scenario: ambiguous',
        '    When I list the nodegroups',
        '  @undo-fails',
        '  Scenario: cleanup fails',
        '    Given nodegroup "edge-a"',
        '',
      ].join('\n'),
    );
    const run = await runRunbooks(
      ['--require', join(scratch, 'extra-steps.js'), join(scratch, 'features', 'outcomes.feature')],
      {
        HOME: scratch,
        RUNBOOK_REPORTS_DIR: reports,
        RUNBOOK_RUN_ID: '',
      },
    );
    ({ out, code } = run);
    const dir = join(reports, 'allure-results');
    results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  });
  const byName = (name: string) => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `${name}\n${out}`);
    return r;
  };

  test('none of them passes: broken, each in the category of who must act', () => {
    assert.equal(code, 1, out);
    assert.deepEqual(
      ['pending', 'ambiguous', 'cleanup fails'].map((n) => [n, byName(n).status, categorize(byName(n))]),
      [
        ['pending', 'broken', ['Runbook errors']],
        ['ambiguous', 'broken', ['Runbook errors']],
        ['cleanup fails', 'broken', ['Changes left behind']],
      ],
    );
    assert.match(
      byName('pending').statusDetails!.message!,
      /^\[CUCUMBER_PENDING_STEP\] PendingStep: the definition of "a step not written yet" is not written yet/,
    );
    assert.match(
      byName('ambiguous').statusDetails!.message!,
      /^\[CUCUMBER_AMBIGUOUS_STEP\] AmbiguousStep: several step definitions match this text, "I list the nodegroups"/,
    );
    assert.match(
      byName('cleanup fails').statusDetails!.message!,
      /^\[RUNBOOK_CLEANUP\] Error: undoing 1 change failed: run the revert command$/,
    );
  });

  test('summary.md and the console agree', () => {
    const summary = readFileSync(join(reports, 'summary.md'), 'utf8');
    assert.match(summary, /^\| PENDING \| Runbook errors \| pending \|/m);
    assert.match(summary, /^\| AMBIGUOUS \| Runbook errors \| ambiguous \|/m);
    assert.match(summary, /^\| FAILED \| Changes left behind \| cleanup fails \|/m);
    assert.match(out, /^ {2}FAILED \[Changes left behind\]: cleanup fails /m);
    assert.match(out, /^ {4}step: a hook \(\S*extra-steps\.js:4\)$/m);
  });
});
