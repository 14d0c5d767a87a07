/**
 * Plan benchmark (issue 11): the full suite as a plan (twin import, twin start, the run on the
 * twin, plan.json/plan.md) against a live-like environment, a standalone `nodegroup-sandbox`
 * process reached over HTTP through an environment file, vs the same run without plan against
 * it. Goal: plan <= 1.5x the run, import included. Both through the runner's bin, as a user runs
 * them; interleaved (run, plan, three rounds), the median of each from this one bench run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SANDBOX_VARS } from '../src/environment/sandbox';
import { writeEnvironmentFile } from '../test/environment/standalone-sandbox';
import { startStandalone } from '../test/twin/live-sandbox';
import { fmt, report } from './harness';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'scripts', 'nodegroup-runbooks.js');
const ROUNDS = Number(process.env['PLAN_BENCH_ROUNDS'] ?? 3);

function timed(
  args: string[],
  env: Record<string, string>,
): Promise<{ ms: number; code: number; out: string }> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: 600_000, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({
          ms: performance.now() - start,
          code: typeof code === 'number' ? code : 1,
          out: `${stdout}${stderr}`,
        });
      },
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-bench-'));
  const live = await startStandalone(dir);
  try {
    const envs = join(dir, 'environments');
    writeEnvironmentFile(envs, 'live', {
      host: live.url,
      kubeconfig: live.env['KUBECONFIG']!,
      vars: { ...SANDBOX_VARS },
    });
    mkdirSync(join(dir, 'home'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(KUBESPHERE_|KUBECONFIG|RUNBOOK_)/.test(k)) env[k] = v;
    Object.assign(env, {
      HOME: join(dir, 'home'),
      RUNBOOK_ENVIRONMENTS_DIR: envs,
      RUNBOOK_REPORTS_DIR: join(dir, 'reports'),
      RUNBOOK_ALLURE: 'off',
      SANDBOX_USER: live.env['KUBESPHERE_USERNAME']!,
      SANDBOX_PASSWORD: live.env['KUBESPHERE_PASSWORD']!,
    });
    const common = ['--env', 'live', '--allow-destructive'];
    const runs: number[] = [];
    const plans: number[] = [];
    let last = { run: '', plan: '' };
    for (let i = 0; i < ROUNDS; i++) {
      const run = await timed(['run', ...common], env);
      const plan = await timed(['plan', ...common], env);
      runs.push(run.ms);
      plans.push(plan.ms);
      last = {
        run: run.out.split('\n').find((l) => /^\s+scenarios \d+/.test(l)) ?? `exit ${run.code}`,
        plan:
          plan.out.split('\n').find((l) => l.startsWith('plan ')) ??
          `exit ${plan.code}\n${plan.out.slice(-2000)}`,
      };
    }
    const ratio = median(plans) / median(runs);
    report(
      `Plan of the full suite vs the same run without plan (live-like standalone sandbox, ${ROUNDS} rounds, median)`,
      [
        ['run without plan', `${fmt(median(runs) / 1000)} s (${runs.map((m) => fmt(m / 1000)).join(', ')})`],
        [
          'plan (import included)',
          `${fmt(median(plans) / 1000)} s (${plans.map((m) => fmt(m / 1000)).join(', ')})`,
        ],
        ['ratio', `${fmt(ratio)}x (goal <= 1.5x) ${ratio <= 1.5 ? 'ok' : 'OVER'}`],
        ['run', last.run.trim()],
        ['plan', last.plan.trim()],
      ],
    );
  } finally {
    await live.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
