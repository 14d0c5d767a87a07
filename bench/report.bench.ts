/**
 * What the Allure results cost a run: the same runbooks (nodegroup and binding runbooks, serial,
 * cucumber in a fresh process each time) with the allure-cucumberjs formatter and the per-step
 * evidence attachments, and without both (RUNBOOK_ALLURE=off), alternated so machine noise hits
 * both alike; medians compared (goal <= 1.2x).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, report, summarize } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'report-bench-'));
const FEATURES = ['features/nodegroup', 'features/binding'];
const ROUNDS = 5;

function run(allure: boolean): number {
  const reports = join(scratch, allure ? 'with' : 'without');
  rmSync(reports, { recursive: true, force: true });
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'), '-p', 'default', ...FEATURES],
    {
      cwd: root,
      env: {
        ...process.env,
        HOME: scratch,
        RUNBOOK_RUN_ID: '',
        RUNBOOK_REPORTS_DIR: reports,
        RUNBOOK_ALLURE: allure ? 'on' : 'off',
      },
      encoding: 'utf8',
    },
  );
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`runbooks failed:\n${child.stdout}\n${child.stderr}`);
  return ms;
}

function resultsSize(): { files: number; bytes: number } {
  const dir = join(scratch, 'with', 'allure-results');
  const files = readdirSync(dir);
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) };
}

function main(): void {
  run(true); // warm the file cache and the compiled code once
  const withAllure: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    without.push(run(false));
    withAllure.push(run(true));
  }
  const a = summarize(withAllure).median;
  const b = summarize(without).median;
  const size = resultsSize();
  report(`Allure results (${FEATURES.join(' + ')}, serial, median of ${ROUNDS} fresh processes)`, [
    ['without the formatter and attachments', `${fmt(b / 1000)} s`],
    ['with allure-cucumberjs + evidence attachments', `${fmt(a / 1000)} s`],
    ['ratio with / without', `${fmt(a / b)}x (goal <= 1.2x: ${a / b <= 1.2 ? 'met' : 'NOT met'})`],
    ['results written', `${size.files} files, ${fmt(size.bytes / 1024, 0)} KiB`],
  ]);
}

try {
  main();
} catch (err) {
  process.stderr.write(`report bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
