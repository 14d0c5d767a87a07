/**
 * Time to the first step of a one-scenario run (a fresh process, as a user starts it):
 *  - `nodegroup-runbooks run FEATURE:LINE` (the bin: freshness check, then the runner) against
 *    the same run started straight from the compiled files (`node dist/scripts/run-runbooks.js`):
 *    goal <= 1.1x (the check must cost next to nothing when the build is current);
 *  - the same against a bare cucumber-js run of one trivial step (no sandbox, no support code):
 *    goal <= 1.5x;
 *  - the `dev` profile (steps and support from TypeScript through ts-node, transpile-only), and
 *    the bin when a source changed (the incremental compile it then runs), for the README.
 * "First step": a BeforeStep hook (bench/first-step-mark.ts, added with --require) writes the
 * clock once; the time is from spawn to that mark, median of interleaved rounds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, report, summarize } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'startup-bench-'));
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const SCENARIO = 'features/nodegroup/inspect.feature:6';
const mark = join(__dirname, 'first-step-mark.js');

writeFileSync(
  join(scratch, 'trivial.feature'),
  'Feature: trivial\n  Scenario: one step\n    Given nothing\n',
);
writeFileSync(
  join(scratch, 'trivial-steps.js'),
  `const { Given } = require(${JSON.stringify(join(root, 'node_modules/@cucumber/cucumber'))});\nGiven('nothing', () => {});\n`,
);

/** Milliseconds from spawn to the first step's mark. */
function firstStep(args: string[], cwd = root): number {
  const markFile = join(scratch, 'mark');
  rmSync(markFile, { force: true });
  const started = Date.now();
  const run = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: scratch,
      FIRST_STEP_MARK: markFile,
      RUNBOOK_REPORTS_DIR: join(scratch, 'reports'),
    },
  });
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return Number(readFileSync(markFile, 'utf8')) - started;
}

const cucumber = join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js');
const variants: [string, () => number][] = [
  [
    'bin (nodegroup-runbooks run)',
    () => firstStep([join(root, 'bin/nodegroup-runbooks.js'), 'run', '--require', mark, SCENARIO]),
  ],
  [
    'compiled (node dist/scripts/run-runbooks.js)',
    () => firstStep([join(root, 'dist/scripts/run-runbooks.js'), '--require', mark, SCENARIO]),
  ],
  [
    'bare cucumber-js, one trivial step',
    () =>
      firstStep(
        [
          cucumber,
          '--require',
          join(scratch, 'trivial-steps.js'),
          '--require',
          mark,
          join(scratch, 'trivial.feature'),
        ],
        scratch,
      ),
  ],
  [
    'dev profile (ts-node, transpile-only)',
    () => firstStep([join(root, 'dist/scripts/run-runbooks.js'), '-p', 'dev', '--require', mark, SCENARIO]),
  ],
];

const samples: number[][] = variants.map(() => []);
for (let i = 0; i < ROUNDS; i++) for (const [k, [, fn]] of variants.entries()) samples[k]!.push(fn());
const [bin, compiled, bare, dev] = samples.map((s) => summarize(s).median) as [
  number,
  number,
  number,
  number,
];

// The bin after a source changed: its incremental compile comes first (once: it rebuilds).
const touched = join(root, 'src', 'constants.ts');
const now = new Date();
utimesSync(touched, now, now);
const rebuilt = firstStep([join(root, 'bin/nodegroup-runbooks.js'), 'run', '--require', mark, SCENARIO]);

report(`time to first step, one scenario (${SCENARIO}), median of ${ROUNDS}`, [
  ...variants.map(([name], k): [string, string] => [name, `${fmt(summarize(samples[k]!).median)} ms`]),
  ['bin vs compiled', `${(bin / compiled).toFixed(2)}x (goal <= 1.1x)`],
  ['bin vs bare cucumber-js', `${(bin / bare).toFixed(2)}x (goal <= 1.5x)`],
  ['dev vs compiled', `${(dev / compiled).toFixed(2)}x`],
  ['bin after a source changed (incremental tsc first)', `${fmt(rebuilt)} ms`],
]);
rmSync(scratch, { recursive: true, force: true });
