/**
 * The runbook runner's cost, as ratios in one run:
 *  - the full suite through cucumber (a fresh process, as `npm start` runs it) against a bare
 *    script issuing the same KAPI requests and the same kubectl commands, replayed from the
 *    suite's own evidence, on a fresh sandbox in this process (goal <= 1.5x plus <= 1.5 s
 *    start-up). The client-node reads of the waits are not replayed (the evidence records the
 *    wait, not its requests), so the bare script is the lower bound it should be;
 *  - `--parallel 2` against serial (goal <= 0.6x);
 *  - where the time goes: a run with no scenario (start-up: cucumber, client-node, the sandbox,
 *    the Allure formatter) and the evidence's own totals (HTTP, waits, kubectl).
 * Cold start of one trivial scenario (measured once when the build setup was chosen, user CPU):
 * compiled JS 0.55 s, tsx 0.61 s, ts-node 0.85 s.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { loginRequest } from '../src/kapi/auth';
import type { HttpOperation, RunRecord } from '../src/runbook/evidence';
import { startSandbox } from '../src/sandbox/sandbox';
import { fmt, report } from './harness';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'runner-bench-'));

function runSuite(args: string[], runId: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'dist/scripts/run-runbooks.js'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      HOME: scratch,
      RUNBOOK_RUN_ID: runId,
      RUNBOOK_REPORTS_DIR: join(scratch, 'reports'),
    },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`runbooks failed:\n${run.stdout}\n${run.stderr}`);
  return ms;
}

interface Recorded {
  requests: HttpOperation['request'][];
  kubectl: string[][];
  /** Time the suite itself spent, by kind of operation. */
  totals: Record<string, { count: number; ms: number }>;
}

function recorded(runId: string): Recorded {
  const dir = join(scratch, 'reports', 'runs', runId);
  const out: Recorded = { requests: [], kubectl: [], totals: {} };
  for (const file of readdirSync(dir).filter((f) => f.startsWith('evidence'))) {
    const run = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunRecord;
    for (const scenario of run.scenarios)
      for (const op of [...scenario.steps.flatMap((s) => s.operations), ...scenario.cleanup]) {
        if ('durationMs' in op) {
          const total = out.totals[op.kind] ?? { count: 0, ms: 0 };
          total.count++;
          total.ms += op.durationMs;
          out.totals[op.kind] = total;
        }
        if (op.kind === 'http' && !op.request.url.includes('/oauth/')) out.requests.push(op.request);
        if (op.kind === 'kubectl') out.kubectl.push(op.command.split(' ').slice(1));
      }
  }
  return out;
}

const kubectl = (kubeconfig: string, cacheDir: string, args: string[]) =>
  new Promise<void>((resolve) =>
    // Exit codes are not judged: the suite runs some commands that fail on purpose.
    execFile('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], () => resolve()),
  );

/** A fresh sandbox, one login, then the same KAPI requests and kubectl commands one after another. */
async function bareScript({ requests, kubectl: commands }: Recorded): Promise<number> {
  const started = performance.now();
  const cacheDir = mkdtempSync(join(scratch, 'kubectl-cache-'));
  const sandbox = await startSandbox();
  const pool = new Pool(sandbox.url);
  const login = await pool.request({ ...loginRequest(sandbox), method: 'POST' });
  const token = ((await login.body.json()) as { access_token: string }).access_token;
  for (const req of requests) {
    const url = new URL(req.url);
    const headers: Record<string, string> = { ...req.headers, authorization: `Bearer ${token}` };
    const res = await pool.request({
      method: req.method as 'GET',
      path: `${url.pathname}${url.search}`,
      headers,
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
    });
    await res.body.arrayBuffer();
  }
  for (const args of commands) await kubectl(sandbox.kubeconfigPath, cacheDir, args);
  await pool.close();
  await sandbox.stop();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const empty = runSuite(['--tags', '@no-such-tag'], '260101000000-empty');
  const serial = runSuite([], '260101000000-serial');
  const parallel = runSuite(['--parallel', '2'], '260101000000-paral');
  const suite = recorded('260101000000-serial');
  const bare = await bareScript(suite);
  const budget = bare * 1.5 + 1500;
  const spent = (kind: string) => {
    const total = suite.totals[kind];
    return total ? `${fmt(total.ms / 1000)} s in ${total.count}` : 'none';
  };
  report('runbook runner (full suite, wall time)', [
    ['serial, cucumber in a fresh process', `${fmt(serial / 1000)} s`],
    [
      `bare script, same ${suite.requests.length} KAPI requests + ${suite.kubectl.length} kubectl`,
      `${fmt(bare / 1000)} s`,
    ],
    [
      'ratio serial / bare',
      `${fmt(serial / bare)}x (goal: <= 1.5x + 1.5 s = ${fmt(budget / 1000)} s: ${serial <= budget ? 'met' : 'NOT met'})`,
    ],
    ['--parallel 2', `${fmt(parallel / 1000)} s`],
    [
      'ratio parallel 2 / serial',
      `${fmt(parallel / serial)}x (goal <= 0.6x: ${parallel / serial <= 0.6 ? 'met' : 'NOT met'})`,
    ],
    ['start-up: the same run with no scenario', `${fmt(empty / 1000)} s`],
    ['  in the suite: HTTP exchanges', spent('http')],
    ['  in the suite: waits (client-node)', spent('wait')],
    ['  in the suite: kubectl', spent('kubectl')],
    [
      'cold start, one trivial scenario (user CPU)',
      'compiled JS 0.55 s, tsx 0.61 s, ts-node 0.85 s (measured once)',
    ],
  ]);
}

main()
  .catch((err) => {
    process.stderr.write(`runner bench: ${(err as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
