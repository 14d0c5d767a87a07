/**
 * What the Allure results cost a run: the same runbooks (nodegroup and binding runbooks, serial,
 * cucumber in a fresh process each time) with the allure-cucumberjs formatter and the per-step
 * evidence attachments, and without both (RUNBOOK_ALLURE=off), alternated so machine noise hits
 * both alike; medians compared (goal <= 1.2x). Wall time is the goal's measure; the CPU time of the
 * cucumber process (serial: sandbox, steps and formatter all in it) is printed beside it because
 * it moves far less when other work shares the machine. Its kernel part is printed too: most of
 * what the report adds is creating files, and on ext4 without a journal (these VMs) a new file
 * costs a scan past every inode deleted in the last minute or more, so that part depends on what
 * else was deleted lately (a test run just before, an earlier bench).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, report, summarize } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'report-bench-'));
const FEATURES = ['features/nodegroup', 'features/binding'];
const ROUNDS = 7;
// Loaded into each cucumber process: writes the process's own CPU time when it exits.
const cpuProbe = join(scratch, 'cpu-probe.js');
const cpuFile = join(scratch, 'cpu.json');
writeFileSync(
  cpuProbe,
  `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, JSON.stringify(process.cpuUsage())));\n`,
);

interface Run {
  wall: number;
  /** user + kernel CPU time of the cucumber process, ms */
  cpu: number;
  /** the kernel part of it, ms */
  kernel: number;
}

function run(allure: boolean): Run {
  const reports = join(scratch, allure ? 'with' : 'without');
  rmSync(reports, { recursive: true, force: true });
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      '--require',
      cpuProbe,
      join(root, 'node_modules/@cucumber/cucumber/bin/cucumber.js'),
      '-p',
      'default',
      ...FEATURES,
    ],
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
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(`runbooks failed:\n${child.stdout}\n${child.stderr}`);
  const { user, system } = JSON.parse(readFileSync(cpuFile, 'utf8')) as { user: number; system: number };
  return { wall, cpu: (user + system) / 1000, kernel: system / 1000 };
}

function resultsSize(): { files: number; bytes: number } {
  const dir = join(scratch, 'with', 'allure-results');
  const files = readdirSync(dir);
  return { files: files.length, bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) };
}

function main(): void {
  run(true); // warm the file cache and the compiled code once
  const withAllure: Run[] = [];
  const without: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    without.push(run(false));
    withAllure.push(run(true));
  }
  const median = (runs: Run[], key: keyof Run) => summarize(runs.map((r) => r[key])).median;
  const [a, b] = [median(withAllure, 'wall'), median(without, 'wall')];
  const [ac, bc] = [median(withAllure, 'cpu'), median(without, 'cpu')];
  const [ak, bk] = [median(withAllure, 'kernel'), median(without, 'kernel')];
  const size = resultsSize();
  report(
    `Allure results (${FEATURES.join(' + ')}, serial, median of ${ROUNDS} fresh processes; 2 shared cores, noisy)`,
    [
      ['without the formatter and attachments', `${fmt(b / 1000)} s wall, ${fmt(bc / 1000)} s CPU`],
      ['with allure-cucumberjs + evidence attachments', `${fmt(a / 1000)} s wall, ${fmt(ac / 1000)} s CPU`],
      ['ratio with / without, wall', `${fmt(a / b)}x (goal <= 1.2x: ${a / b <= 1.2 ? 'met' : 'NOT met'})`],
      ['ratio with / without, CPU of the run', `${fmt(ac / bc)}x`],
      ['of that CPU, in the kernel: without / with', `${fmt(bk / 1000)} s / ${fmt(ak / 1000)} s`],
      ['results written', `${size.files} files, ${fmt(size.bytes / 1024, 0)} KiB`],
    ],
  );
}

try {
  main();
} catch (err) {
  process.stderr.write(`report bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
