/**
 * Report generation time next to the run it reports on: the full suite through cucumber with the
 * Allure formatter (a fresh process, as `npm start` runs it), then `generateReport` on its results
 * (both reports, generated side by side), three times (each carrying the history of the last).
 * Also each allure-commandline generation alone, to show what running the two side by side saves
 * (each JVM already keeps more than one core busy, so on 2 cores the gain is small).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateReport } from '../src/report/generate';
import { NO_ANALYTICS_ENV } from '../src/report/html-self-contained';
import { fmt, report, summarize } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'report-bench-'));
// The profiles' Allure formatter writes here (RUNBOOK_REPORTS_DIR/allure-results).
const resultsDir = join(scratch, 'reports', 'allure-results');

function runSuiteWithAllure(): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'dist/scripts/run-runbooks.js')], {
    cwd: root,
    env: { ...process.env, HOME: scratch, RUNBOOK_REPORTS_DIR: join(scratch, 'reports') },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  // 1: some runbooks failed, which a report shows as well; anything else means no run.
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`runbooks did not run:\n${run.stdout}\n${run.stderr}`);
  return ms;
}

/** The run as the report shows it: first scenario start to last scenario stop. */
function recordedSpan(): { ms: number; results: number } {
  let start = Number.POSITIVE_INFINITY;
  let stop = 0;
  const files = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'));
  for (const file of files) {
    const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as {
      start: number;
      stop: number;
    };
    start = Math.min(start, result.start);
    stop = Math.max(stop, result.stop);
  }
  return { ms: stop - start, results: files.length };
}

function allureAlone(singleFile: boolean): number {
  const started = performance.now();
  const out = join(scratch, `alone-${singleFile ? 'single' : 'multi'}`);
  const args = ['generate', resultsDir, '-o', out, ...(singleFile ? ['--single-file'] : [])];
  const run = spawnSync(process.execPath, [require.resolve('allure-commandline/bin/allure'), ...args], {
    env: { ...process.env, ...NO_ANALYTICS_ENV },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`allure ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  rmSync(out, { recursive: true, force: true });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const run = runSuiteWithAllure();
  const span = recordedSpan();
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const generated = await generateReport({
      resultsDir,
      reportDir: join(scratch, 'reports', 'allure-report'),
      singleFile: join(scratch, 'reports', 'runbooks-report.html'),
    });
    samples.push(generated.ms);
  }
  const generation = summarize(samples).median;
  const multiSamples: number[] = [];
  const singleSamples: number[] = [];
  for (let i = 0; i < 3; i++) {
    multiSamples.push(allureAlone(false));
    singleSamples.push(allureAlone(true));
  }
  const multi = summarize(multiSamples).median;
  const single = summarize(singleSamples).median;
  report('report generation (full suite; 2 shared cores, noisy)', [
    [`run: full suite with the Allure formatter (${span.results} results)`, `${fmt(run / 1000)} s`],
    ['run as the report records it (first start to last stop)', `${fmt(span.ms / 1000)} s`],
    ['generateReport: checks, both reports, swap (median of 3)', `${fmt(generation / 1000)} s`],
    ['ratio generation / run', `${fmt(generation / run)}x`],
    ['ratio generation / recorded run', `${fmt(generation / span.ms)}x`],
    [
      'allure generate alone, median of 3: multi-file / single-file',
      `${fmt(multi / 1000)} s / ${fmt(single / 1000)} s`,
    ],
    ['ratio side by side / one after the other', `${fmt(generation / (multi + single))}x`],
  ]);
}

main()
  .catch((err) => {
    process.stderr.write(`report bench: ${(err as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
