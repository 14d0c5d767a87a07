/**
 * The runbook runner's cost, as ratios in one run:
 *  - the full suite through cucumber (a fresh process, as `npm start` runs it) against a bare
 *    script issuing the same KAPI requests, replayed from the suite's own evidence, on a fresh
 *    sandbox in this process (goal <= 1.5x plus <= 1.5 s start-up);
 *  - `--parallel 2` against serial (goal <= 0.6x).
 * Cold start of one trivial scenario (measured once when the build setup was chosen, user CPU):
 * compiled JS 0.55 s, tsx 0.61 s, ts-node 0.85 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
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

function recordedRequests(runId: string): HttpOperation['request'][] {
  const dir = join(scratch, 'reports', 'runs', runId);
  const requests: HttpOperation['request'][] = [];
  for (const file of readdirSync(dir)) {
    const run = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunRecord;
    for (const scenario of run.scenarios)
      for (const op of [...scenario.steps.flatMap((s) => s.operations), ...scenario.cleanup])
        if (op.kind === 'http' && !op.request.url.includes('/oauth/')) requests.push(op.request);
  }
  return requests;
}

/** A fresh sandbox, one login, then the same KAPI requests one after another. */
async function bareScript(requests: HttpOperation['request'][]): Promise<number> {
  const started = performance.now();
  const sandbox = await startSandbox();
  const pool = new Pool(sandbox.url);
  const login = await pool.request({
    method: 'POST',
    path: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: sandbox.username,
      password: sandbox.password,
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
    }).toString(),
  });
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
  await pool.close();
  await sandbox.stop();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const serial = runSuite([], '260101000000-serial');
  const parallel = runSuite(['--parallel', '2'], '260101000000-paral');
  const requests = recordedRequests('260101000000-serial');
  const bare = await bareScript(requests);
  const budget = bare * 1.5 + 1500;
  report('runbook runner (full suite, wall time)', [
    ['serial, cucumber in a fresh process', `${fmt(serial / 1000)} s`],
    [`bare script, same ${requests.length} KAPI requests`, `${fmt(bare / 1000)} s`],
    [
      'ratio serial / bare',
      `${fmt(serial / bare)}x (goal: <= 1.5x + 1.5 s = ${fmt(budget / 1000)} s: ${serial <= budget ? 'met' : 'NOT met'})`,
    ],
    ['--parallel 2', `${fmt(parallel / 1000)} s`],
    [
      'ratio parallel 2 / serial',
      `${fmt(parallel / serial)}x (goal <= 0.6x: ${parallel / serial <= 0.6 ? 'met' : 'NOT met'})`,
    ],
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
