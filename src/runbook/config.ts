/**
 * The run configuration: which target (the embedded sandbox or a live environment), how to reach
 * it, whether destructive operations are allowed, and the values `${VAR}` expands to. Read from
 * the world parameters and the environment; every wrong value gets a message naming it.
 */
import { join } from 'node:path';
import { HOST_ENV } from '../kapi/env';
import { ConfigError } from './errors';

/** Environment variable that allows delete and unbind on a target other than the sandbox. */
export const ALLOW_DESTRUCTIVE_ENV = 'RUNBOOK_ALLOW_DESTRUCTIVE';
/** World parameter that does the same. */
export const ALLOW_DESTRUCTIVE_PARAM = 'allowDestructive';
/** Run id shared by every worker of one cucumber run (set by cucumber.js when absent). */
export const RUN_ID_ENV = 'RUNBOOK_RUN_ID';
/** Where ledgers and evidence go (default `reports`). */
export const REPORTS_DIR_ENV = 'RUNBOOK_REPORTS_DIR';
export const DEFAULT_REPORTS_DIR = 'reports';
/** The reports folder the environment names, else the default (what every command reads). */
export const reportsDirIn = (env: Env): string => env[REPORTS_DIR_ENV] || DEFAULT_REPORTS_DIR;
/** Under the reports folder: `ledger/<run-id>/` (crash-safe undo log) and `runs/<run-id>/` (evidence). */
export const LEDGER_SUBDIR = 'ledger';
export const RUNS_SUBDIR = 'runs';
/** Where a run's evidence and its workers' report fragments go. */
export const runsDir = (reportsDir: string, runId: string) => join(reportsDir, RUNS_SUBDIR, runId);
/** The live target: the variables of the operations guide, as `nodegroup-api` reads them. */
export { CA_FILE_ENV, HOST_ENV, PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV } from '../kapi/env';
export const KUBECONFIG_ENV = 'KUBECONFIG';
/** kubeconfig context of the live profile (or world parameter "context"). */
export const CONTEXT_ENV = 'KUBECONFIG_CONTEXT';
/** Set by cucumber-js in each worker of a --parallel run. */
export const WORKER_ID_ENV = 'CUCUMBER_WORKER_ID';
/** Deadline of each wait on a condition (world parameter "waitTimeoutMs"). */
export const DEFAULT_WAIT_TIMEOUT_MS = 10_000;
/** cucumber's step timeout: longer than any wait, so a wait's own message is the one shown. */
export const STEP_TIMEOUT_MS = 60_000;
/** Kubernetes records Events about cluster-scoped objects (nodegroups) in this namespace. */
export { CLUSTER_EVENTS_NAMESPACE } from '../constants';

export type TargetKind = 'sandbox' | 'live';

export interface RunConfig {
  target: TargetKind;
  /** ks-apiserver URL (live: KUBESPHERE_HOST). */
  host?: string;
  /** kubeconfig file (live: KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  context?: string;
  allowDestructive: boolean;
  vars: Record<string, string>;
  reportsDir: string;
  /** Deadline of each wait on a condition. */
  waitTimeoutMs: number;
}

const KNOWN = [
  'target',
  'host',
  'kubeconfig',
  'context',
  'allowDestructive',
  'vars',
  'reportsDir',
  'waitTimeoutMs',
];

type Env = Readonly<Record<string, string | undefined>>;

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes)$/i.test(value);

function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(
      `world parameter "${key}" must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  return value;
}

export function parseRunConfig(params: Record<string, unknown>, env: Env): RunConfig {
  for (const key of Object.keys(params)) {
    if (!KNOWN.includes(key))
      throw new ConfigError(`world parameter "${key}" is not known; known parameters: ${KNOWN.join(', ')}`);
  }
  const target = params['target'] ?? 'sandbox';
  if (target !== 'sandbox' && target !== 'live')
    throw new ConfigError(
      `world parameter "target" must be "sandbox" or "live", got ${JSON.stringify(target)}; use the profile of the same name (-p sandbox / -p live)`,
    );
  const vars = params['vars'] ?? {};
  if (typeof vars !== 'object' || vars === null || Array.isArray(vars))
    throw new ConfigError(`world parameter "vars" must be an object of strings, e.g. {"NODE":"worker-3"}`);
  for (const [name, value] of Object.entries(vars)) {
    if (typeof value !== 'string')
      throw new ConfigError(`world parameter "vars.${name}" must be a string, got ${JSON.stringify(value)}`);
  }
  const allow = params[ALLOW_DESTRUCTIVE_PARAM];
  if (allow !== undefined && typeof allow !== 'boolean')
    throw new ConfigError(`world parameter "${ALLOW_DESTRUCTIVE_PARAM}" must be true or false`);
  const wait = params['waitTimeoutMs'] ?? DEFAULT_WAIT_TIMEOUT_MS;
  if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 100 || wait > 600_000)
    throw new ConfigError(`world parameter "waitTimeoutMs" must be an integer from 100 to 600000`);

  const config: RunConfig = {
    target,
    allowDestructive: allow === true || truthy(env[ALLOW_DESTRUCTIVE_ENV]),
    vars: vars as Record<string, string>,
    reportsDir: optionalString(params, 'reportsDir') ?? reportsDirIn(env),
    waitTimeoutMs: wait,
  };
  const context = optionalString(params, 'context') ?? env[CONTEXT_ENV];
  if (context) config.context = context;
  if (target === 'live') {
    const host = optionalString(params, 'host') ?? env[HOST_ENV];
    if (!host)
      throw new ConfigError(
        `the live profile needs the KubeSphere host: export ${HOST_ENV}=http://<kubesphere-host> ` +
          `or pass --world-parameters '{"host":"http://<kubesphere-host>"}'`,
      );
    config.host = host;
    const kubeconfig = optionalString(params, 'kubeconfig') ?? env[KUBECONFIG_ENV];
    if (kubeconfig) config.kubeconfig = kubeconfig;
  }
  return config;
}
