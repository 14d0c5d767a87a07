/**
 * A standalone sandbox reached as a live environment through environment files (`open`: not
 * protected, `prod`: protected), and the library's run context on it, as the runner builds one.
 * "Someone else" is a plain KAPI client of the same sandbox: its writes are in no ledger.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupOfTarget } from '../../src/binding-kinds';
import { selectEnvironment } from '../../src/environment/select';
import {
  Flow,
  liveAccess,
  newRunId,
  openRunContext,
  parseRunConfig,
  type RunContext,
} from '../../src/runbook';
import { type Standalone, startStandalone, writeEnvironmentFile } from '../environment/standalone-sandbox';

export interface LiveTarget {
  dir: string;
  sandbox: Standalone;
  envs: string;
  reports: string;
  /** The environment a command of this target runs with (credentials named by the env files). */
  env(extra?: Record<string, string>): Record<string, string>;
  /** A run context (its own run id and ledger) on environment `name`. */
  open(name: 'open' | 'prod', options?: { allowDestructive?: boolean }): RunContext;
  /** Someone else: a context whose writes are not the run's (a separate ledger, never read). */
  someoneElse(): RunContext;
  close(): Promise<void>;
}

export async function startLiveTarget(prefix: string): Promise<LiveTarget> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, 'home');
  mkdirSync(home);
  // The token cache is per user: this test's own home, not the developer's.
  process.env['HOME'] = home;
  const sandbox = await startStandalone(join(dir, 'sandbox'));
  const envs = join(dir, 'environments');
  const reports = join(dir, 'reports');
  for (const [name, prot] of [
    ['open', false],
    ['prod', true],
  ] as const)
    writeEnvironmentFile(envs, name, {
      host: sandbox.url,
      kubeconfig: sandbox.exports['KUBECONFIG']!,
      protected: prot,
    });
  const contexts: RunContext[] = [];
  const env = (extra: Record<string, string> = {}): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(KUBESPHERE_|KUBECONFIG|RUNBOOK_)/.test(k)) out[k] = v;
    return {
      ...out,
      HOME: home,
      RUNBOOK_ENVIRONMENTS_DIR: envs,
      RUNBOOK_REPORTS_DIR: reports,
      SANDBOX_USER: sandbox.exports['KUBESPHERE_USERNAME']!,
      SANDBOX_PASSWORD: sandbox.exports['KUBESPHERE_PASSWORD']!,
      ...extra,
    };
  };
  const open = (name: string, options: { allowDestructive?: boolean } = {}, worker = '0') => {
    const e = env(options.allowDestructive ? { RUNBOOK_ALLOW_DESTRUCTIVE: '1' } : {});
    const selection = selectEnvironment(['--env', name], e);
    const config = parseRunConfig({ target: 'live' }, e, selection);
    const ctx = openRunContext({ config, runId: newRunId(), worker, target: liveAccess(config, e) });
    contexts.push(ctx);
    return ctx;
  };
  return {
    dir,
    sandbox,
    envs,
    reports,
    env,
    open: (name, options) => open(name, options),
    someoneElse: () => open('open', {}, 'someone-else'),
    async close() {
      await Promise.all(contexts.map((c) => c.close()));
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const flowOf = (ctx: RunContext, scenario = 'scenario-1') => new Flow(ctx, scenario);

/** The group a target is in now, read through the kubeconfig. */
export async function groupOf(ctx: RunContext, kind: 'node' | 'namespace', name: string) {
  return groupOfTarget(kind, await ctx.verifier.get(kind, name));
}
