/**
 * The live environment of the plan tests: a standalone `nodegroup-sandbox` behind a recording
 * proxy (test/twin/live-sandbox.ts), reached through an environment file, and the runner's bin
 * run as a user runs it (a child process, a clean environment).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanDocument } from '../../src/plan/plan-file';
import { writeEnvironmentFile } from '../environment/standalone-sandbox';
import {
  proxiedTarget,
  type RecordingProxy,
  type Standalone,
  startProxy,
  startStandalone,
} from '../twin/live-sandbox';

export const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'dist', 'scripts', 'nodegroup-runbooks.js');
export const OPERATION = 'test/fixtures/plan/operation.feature';
export const FAILING = 'test/fixtures/plan/failing-check.feature';

export interface Live {
  live: Standalone;
  proxy: RecordingProxy;
  dir: string;
  envs: string;
  reports: string;
  stop(): Promise<void>;
}

export async function startLive(dir: string): Promise<Live> {
  const live = await startStandalone(dir);
  const proxy = await startProxy(live.url);
  const target = proxiedTarget(live, proxy, dir);
  const envs = join(dir, 'environments');
  writeEnvironmentFile(envs, 'stage', {
    host: target.host,
    kubeconfig: target.kubeconfig!,
    vars: { NODE: 'worker-3', NODEGROUP: 'edge-a' },
  });
  mkdirSync(join(dir, 'home'), { recursive: true });
  return {
    live,
    proxy,
    dir,
    envs,
    reports: join(dir, 'reports'),
    async stop() {
      await proxy.close();
      await live.stop();
    },
  };
}

export interface Run {
  code: number;
  out: string;
}

/** `nodegroup-runbooks ARGS` with the live environment's credentials and nothing of this shell's. */
export function runbooks(l: Live, args: string[]): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(KUBESPHERE_|KUBECONFIG|RUNBOOK_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: join(l.dir, 'home'),
    RUNBOOK_ENVIRONMENTS_DIR: l.envs,
    RUNBOOK_REPORTS_DIR: l.reports,
    RUNBOOK_ALLURE: 'off',
    SANDBOX_USER: l.live.env['KUBESPHERE_USERNAME']!,
    SANDBOX_PASSWORD: l.live.env['KUBESPHERE_PASSWORD']!,
  });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
      },
    );
  });
}

/** The plan folder a plan run printed. */
export function planDirOf(run: Run): string {
  const m = /^plan (\S+): on the twin of/m.exec(run.out);
  if (!m) throw new Error(`no plan path in the output:\n${run.out}`);
  return m[1]!.startsWith('/') ? m[1]! : join(ROOT, m[1]!);
}

export const readPlanJson = (dir: string): PlanDocument =>
  JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as PlanDocument;

/** The proxy's requests from `from` on that are not reads (the login aside). */
export const writesSince = (proxy: RecordingProxy, from: number) =>
  proxy.requests
    .slice(from)
    .filter((r) => r.method !== 'GET' && r.path.split('?')[0] !== '/oauth/token')
    .map((r) => `${r.method} ${r.path}`);

/** The newest run folder under reports/runs (the apply's). */
export function newestRun(reports: string): string {
  const runs = join(reports, 'runs');
  const names = readdirSync(runs).sort(
    (a, b) => statSync(join(runs, b)).mtimeMs - statSync(join(runs, a)).mtimeMs,
  );
  return join(runs, names[0]!);
}
