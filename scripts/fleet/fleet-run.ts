/**
 * A fleet run (`nodegroup-runbooks run --clusters all|a,b,c`): the selected runbooks once per
 * member cluster, through the host. Each member is one child run (its own process, environment
 * file and reports folder under reports/fleet/<run-id>/<cluster>/), at most `--clusters-parallel`
 * at a time (default 4), each with a deadline. A member that cannot be reached is not run: its
 * scenarios are Environment problems (RUNBOOK_ENV_UNREACHABLE) and the others go on. Then one
 * Allure results folder with one suite per cluster, and the cluster x runbook table.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClusterChoice } from '../../src/environment/clusters';
import type { Environment } from '../../src/environment/file';
import {
  type ClusterState,
  openFleetHost,
  probeMember,
  selectClusters,
  writeMemberFiles,
} from './fleet-host';
import {
  type AllureResult,
  clusterTable,
  copyMemberResults,
  type PlannedScenario,
  writeUnreachable,
} from './fleet-results';

type Output = { write(text: string): unknown };

export const DEFAULT_FLEET_PARALLEL = 4;
export const DEFAULT_CLUSTER_TIMEOUT_S = 900;

export interface FleetOptions {
  choice: ClusterChoice;
  environment: Environment;
  /** cucumber-js arguments for every child (paths, tags, profiles). */
  argv: string[];
  runId: string;
  reportsDir: string;
  planned: PlannedScenario[];
  parallel?: number;
  timeoutS?: number;
  env?: NodeJS.ProcessEnv;
}

/** `--clusters-parallel N` and `--cluster-timeout S`, out of argv. */
export function takeFleetFlags(argv: string[]): { parallel?: number; timeoutS?: number; rest: string[] } {
  const rest: string[] = [];
  const out: { parallel?: number; timeoutS?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = arg.split('=')[0]!;
    if (flag !== '--clusters-parallel' && flag !== '--cluster-timeout') {
      rest.push(arg);
      continue;
    }
    const value = arg.includes('=') ? arg.slice(flag.length + 1) : argv[++i];
    const n = Number(value);
    const max = flag === '--clusters-parallel' ? 64 : 86_400;
    if (!/^\d+$/.test(value ?? '') || n < 1 || n > max)
      throw new Error(`${flag} must be an integer from 1 to ${max}, got ${value ?? '(nothing)'}`);
    if (flag === '--clusters-parallel') out.parallel = n;
    else out.timeoutS = n;
  }
  return { ...out, rest };
}

/** The feature name of a runbook file (its `Feature:` line). */
export function featureName(uri: string): string {
  const m = /^\s*Feature:\s*(.+?)\s*$/m.exec(readFileSync(uri, 'utf8'));
  return m ? m[1]! : uri;
}

interface ChildOutcome {
  code: number | null;
  timedOut: boolean;
  output: string;
}

function runChild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  log: string,
): Promise<ChildOutcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'run-runbooks.js'), ...argv], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const add = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      writeFileSync(log, output);
      done({ code, timedOut, output });
    });
  });
}

/** Run `work` over `items`, at most `bound` at a time. */
async function pool<T>(items: T[], bound: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const lanes = Array.from({ length: Math.min(bound, items.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
  });
  await Promise.all(lanes);
}

export async function runFleet(options: FleetOptions, out: Output): Promise<number> {
  const env = options.env ?? process.env;
  const fleet = await openFleetHost(options.environment, options.choice, env);
  const fleetDir = resolve(options.reportsDir, 'fleet', options.runId);
  const resultsDir = resolve(options.reportsDir, 'allure-results');
  rmSync(resultsDir, { recursive: true, force: true });
  const results = new Map<string, AllureResult[]>();
  let clusters: ClusterState[];
  try {
    clusters = await selectClusters(fleet.kapi, options.choice);
    const token = await fleet.kapi.auth.get(fleet.kapi.transport);
    if (!token) throw new Error(`cannot log in to ${fleet.host}: no credentials and no token`);
    out.write(
      `runbooks: fleet run ${options.runId} over ${clusters.map((c) => c.name).join(', ')} through ${fleet.host}\n`,
    );
    const timeoutMs = (options.timeoutS ?? DEFAULT_CLUSTER_TIMEOUT_S) * 1000;
    await pool(clusters, options.parallel ?? DEFAULT_FLEET_PARALLEL, async (state) => {
      const dir = join(fleetDir, state.name);
      const why = await probeMember(fleet.kapi, state);
      if (why) {
        results.set(state.name, writeUnreachable(resultsDir, state.name, options.planned, why));
        out.write(`runbooks: ${state.name}: not run: ${why}\n`);
        return;
      }
      const envFile = writeMemberFiles(fleet, state.name, token, dir);
      const childEnv: NodeJS.ProcessEnv = {
        ...env,
        ...fleet.childEnv,
        RUNBOOK_ENV: envFile,
        RUNBOOK_RUN_ID: options.runId,
        RUNBOOK_REPORTS_DIR: dir,
      };
      // The fleet's report is built from each member's Allure results: they are always written.
      delete childEnv['RUNBOOK_ALLURE'];
      delete childEnv['RUNBOOK_ALLURE_RESULTS_RUN'];
      delete childEnv['RUNBOOK_ALLURE_RESULTS'];
      const child = await runChild(options.argv, childEnv, timeoutMs, join(dir, 'output.txt'));
      const mine = copyMemberResults(join(dir, 'allure-results'), resultsDir, state.name);
      const ran = new Set(mine.map((r) => r.name));
      const missing = options.planned.filter((p) => !ran.has(p.name));
      if (missing.length > 0) {
        const reason = child.timedOut
          ? `the run on ${state.name} did not finish within ${timeoutMs / 1000} s (stopped)`
          : `the run on ${state.name} stopped before these scenarios (exit ${child.code}): ${lastLine(child.output)}`;
        mine.push(...writeUnreachable(resultsDir, state.name, missing, reason));
      }
      results.set(state.name, mine);
      out.write(`runbooks: ${state.name}: ${describe(mine)} (log ${join(dir, 'output.txt')})\n`);
    });
  } finally {
    await fleet.stop();
  }
  const names = clusters.map((c) => c.name);
  const table = clusterTable(names, results);
  const all = [...results.values()].flat();
  const failed = all.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
  const summary = [
    `# Fleet run ${options.runId}`,
    '',
    `${all.length} scenarios on ${names.length} clusters: ${all.length - failed.length} passed or skipped, ${failed.length} failed`,
    '',
    table,
    ...failed.map(
      (r) => `- ${clusterOf(r)}: ${r.name}: ${r.statusDetails?.message?.split('\n')[0] ?? r.status}`,
    ),
    '',
    `Evidence and ledgers per cluster: ${fleetDir}/<cluster>/ (revert: nodegroup-runbooks revert --reports ${fleetDir}/<cluster>)`,
    '',
  ].join('\n');
  writeFileSync(resolve(options.reportsDir, 'summary.md'), summary);
  out.write(
    `\n${table}\n${failed.length === 0 ? 'fleet run passed' : `fleet run failed: ${failed.length} scenarios`}; summary ${resolve(options.reportsDir, 'summary.md')}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

const clusterOf = (r: AllureResult) => r.labels.find((l) => l.name === 'cluster')?.value ?? '?';
const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .at(-1) ?? '(no output)';

function describe(results: AllureResult[]): string {
  const by = new Map<string, number>();
  for (const r of results) by.set(r.status ?? '?', (by.get(r.status ?? '?') ?? 0) + 1);
  return [...by].map(([s, n]) => `${n} ${s}`).join(', ') || 'no scenario';
}
