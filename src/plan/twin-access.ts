/**
 * A plan runs the runbooks as against the live environment (its config: names, variables,
 * `protected`, the opt-in) but reaches the twin: the plan command hands the twin's host,
 * kubeconfig and admin login to the runner's BeforeAll (and any worker) through one variable.
 */
import type { TargetAccess } from '../runbook/context';

export const PLAN_TWIN_ENV = 'RUNBOOK_PLAN_TWIN';

export interface TwinEndpoint {
  host: string;
  kubeconfig: string;
  username: string;
  password: string;
}

/** The twin as the run's target, kind `live` so the live environment's guardrails apply. */
export function twinAccessFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): TargetAccess | undefined {
  const text = env[PLAN_TWIN_ENV];
  if (!text) return undefined;
  let twin: TwinEndpoint;
  try {
    twin = JSON.parse(text) as TwinEndpoint;
  } catch {
    throw new Error(`${PLAN_TWIN_ENV} is not the twin of a plan (not JSON); unset it`);
  }
  if (!twin.host || !twin.kubeconfig || !twin.username || !twin.password)
    throw new Error(
      `${PLAN_TWIN_ENV} is not the twin of a plan (host, kubeconfig, username, password); unset it`,
    );
  return {
    kind: 'live',
    host: twin.host,
    kubeconfig: twin.kubeconfig,
    credentials: { username: twin.username, password: twin.password },
  };
}
