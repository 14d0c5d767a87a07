/**
 * The live environment a plan imports and an apply checks and runs against: a named live
 * environment (--env NAME) with the access the runner itself would use, and the exit code and
 * message of each refusal that comes before anything runs.
 */
import { EnvironmentError } from '../environment/errors';
import { selectEnvironment } from '../environment/select';
import { parseRunConfig } from '../runbook/config';
import { liveAccess } from '../runbook/context';
import { TwinForbiddenError } from '../twin/errors';
import type { TwinTarget } from '../twin/target';
import { PLAN_EXIT_CODES, PlanError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** The `vars` of --world-parameters among the runner's arguments (what the run's config adds). */
export function worldVars(args: readonly string[]): Record<string, string> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value =
      arg === '--world-parameters'
        ? args[i + 1]
        : arg.startsWith('--world-parameters=')
          ? arg.slice(19)
          : undefined;
    if (value === undefined) continue;
    try {
      const vars = (JSON.parse(value) as { vars?: Record<string, string> }).vars;
      if (vars) return vars;
    } catch {
      // the runner names a bad --world-parameters itself
    }
  }
  return {};
}

/** The environment a plan or apply reads: a named live one, with the access the runner would use. */
export function liveTarget(argv: readonly string[], env: Env, command: string) {
  const selection = selectEnvironment(argv, env);
  if (!selection.explicit || selection.environment.kind !== 'live')
    throw new PlanError(
      'PLAN_USAGE',
      `${command} runs against a live environment: pass --env NAME (environments/NAME.yaml); the embedded sandbox needs no plan`,
    );
  const config = parseRunConfig({ vars: worldVars(selection.rest) }, env, selection);
  const access = liveAccess(config, env);
  const target: TwinTarget = {
    host: access.host,
    ...(access.kubeconfig ? { kubeconfig: access.kubeconfig } : {}),
    ...(access.context ? { context: access.context } : {}),
    ...(access.credentials ? { credentials: access.credentials } : {}),
    ...(access.token ? { token: access.token } : {}),
    ...(access.tokenCacheFile ? { tokenCacheFile: access.tokenCacheFile } : {}),
    ...(access.caFile ? { caFile: access.caFile } : {}),
  };
  return { selection, config, target };
}

/** The exit code and message of a refusal before anything ran, or undefined for an unexpected error. */
export function refusal(err: unknown): { code: number; message: string } | undefined {
  if (err instanceof PlanError) return { code: err.exitCode, message: err.message };
  if (err instanceof EnvironmentError) return { code: err.exitCode, message: err.message };
  if (err instanceof TwinForbiddenError)
    return { code: PLAN_EXIT_CODES.PLAN_TWIN_UNREADABLE, message: err.message };
  return undefined;
}
