/**
 * Run contexts over one embedded sandbox, opened as a runbook run opens them: `sandbox` targets
 * it as the embedded sandbox, `live` as if it were a live host (so the guardrails apply). Their
 * reports go to one temporary folder; `closeAll` closes every context and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openRunContext,
  parseRunConfig,
  type RunContext,
  sandboxAccess,
  type TargetAccess,
} from '../src/runbook';
import type { Sandbox } from '../src/sandbox/sandbox';

export interface SandboxRunContexts {
  /** A new context; `params` are run parameters over the defaults, `withCredentials: false` gives no login. */
  open(kind: 'sandbox' | 'live', params?: Record<string, unknown>, withCredentials?: boolean): RunContext;
  closeAll(): Promise<void>;
}

export function sandboxRunContexts(options: {
  /** The sandbox, once started. */
  sandbox: () => Sandbox;
  /** Starts the name of the temporary reports folder. */
  reportsPrefix: string;
  /** The random part of each run id (then a counter): it goes into the unique names a run claims. */
  runIdTag: string;
  waitTimeoutMs: number;
}): SandboxRunContexts {
  const reports = mkdtempSync(join(tmpdir(), `${options.reportsPrefix}-`));
  const contexts: RunContext[] = [];
  return {
    open(kind, params = {}, withCredentials = true) {
      const sandbox = options.sandbox();
      const config = parseRunConfig(
        {
          target: kind,
          reportsDir: reports,
          waitTimeoutMs: options.waitTimeoutMs,
          ...(kind === 'live' ? { host: sandbox.url } : {}),
          ...params,
        },
        {},
      );
      const { credentials, ...access } = sandboxAccess(sandbox);
      const target: TargetAccess = { ...access, kind, ...(withCredentials ? { credentials } : {}) };
      const runId = `260101000000-${options.runIdTag}${contexts.length}`;
      const ctx = openRunContext({ config, runId, worker: '0', target });
      contexts.push(ctx);
      return ctx;
    },
    async closeAll() {
      for (const ctx of contexts) await ctx.close();
      rmSync(reports, { recursive: true, force: true });
    },
  };
}
