/**
 * The run configuration: which environment (environments/<name>.yaml, or the built-in sandbox),
 * how to reach it, whether destructive operations are allowed, and the values `${VAR}` expands to.
 * Read from the selected environment, the world parameters and RUNBOOK_* variables; every wrong
 * value gets a message naming it. Bare variables such as NODE are never read (npm sets NODE).
 */
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, type Environment } from '../environment/file';
import { CONTEXT_ENV, currentEnvironment, type Selection } from '../environment/select';
import { CA_FILE_ENV, HOST_ENV } from '../kapi/env';
import { ConfigError } from './errors';
import { runbookVars } from './expand';

/** Environment variable that allows delete and unbind on a protected environment (--allow-destructive). */
export { ALLOW_DESTRUCTIVE_ENV } from '../environment/select';
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
/** kubeconfig context over the environment file's (--context; or world parameter "context"). */
export { CONTEXT_ENV } from '../environment/select';
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
  /** The environment chosen (--env / RUNBOOK_ENV; `sandbox` by default); `protected` is its own. */
  environment: Environment;
  /** Member cluster of a multi-cluster KubeSphere (environment file `cluster:`). */
  cluster?: string;
  /** PEM CA bundle for an https host (environment file `caFile:`, else KUBESPHERE_CA_FILE). */
  caFile?: string;
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
  /**
   * Embedded sandbox only: every route answers this many ms late (the `latency` fault), so a run
   * on the sandbox is latency-bound as against a remote cluster (bench/fleet.bench.ts).
   */
  sandboxLatencyMs?: number;
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
  'sandboxLatencyMs',
];

type Env = Readonly<Record<string, string | undefined>>;

function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(
      `world parameter "${key}" must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  return value;
}

/** An environment made of KUBESPHERE_HOST and friends (`-p live` without --env): protected. */
function variablesEnvironment(env: Env): Environment {
  return {
    name: `live (${HOST_ENV})`,
    kind: 'live',
    vars: {},
    protected: true,
    credentials: { ...DEFAULT_CREDENTIALS },
    ...(env[HOST_ENV] ? { host: env[HOST_ENV] } : {}),
    ...(env[CA_FILE_ENV] ? { caFile: env[CA_FILE_ENV] } : {}),
    ...(env[KUBECONFIG_ENV] ? { kubeconfig: env[KUBECONFIG_ENV] } : {}),
  };
}

export function parseRunConfig(
  params: Record<string, unknown>,
  env: Env,
  selection: Selection = currentEnvironment(env),
): RunConfig {
  for (const key of Object.keys(params)) {
    if (!KNOWN.includes(key))
      throw new ConfigError(`world parameter "${key}" is not known; known parameters: ${KNOWN.join(', ')}`);
  }
  const asked = params['target'] ?? 'sandbox';
  if (asked !== 'sandbox' && asked !== 'live')
    throw new ConfigError(
      `world parameter "target" must be "sandbox" or "live", got ${JSON.stringify(asked)}; use the profile of the same name (-p sandbox / -p live)`,
    );
  // A named live environment decides the target; the profile's "sandbox" is only the default.
  let environment = selection.environment;
  if (environment.kind === 'sandbox' && asked === 'live') {
    if (selection.explicit)
      throw new ConfigError(
        'the live profile runs against a live environment, not the sandbox: pass --env NAME ' +
          '(environments/NAME.yaml) or drop -p live',
      );
    environment = variablesEnvironment(env);
  }
  const target: TargetKind = environment.kind === 'live' ? 'live' : 'sandbox';
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
  const latency = params['sandboxLatencyMs'];
  if (
    latency !== undefined &&
    (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 0 || latency > 60_000)
  )
    throw new ConfigError(
      `world parameter "sandboxLatencyMs" must be an integer from 0 to 60000 (milliseconds)`,
    );
  if (latency !== undefined && target !== 'sandbox')
    throw new ConfigError(
      `world parameter "sandboxLatencyMs" applies to the embedded sandbox only; a live target has its own latency`,
    );

  const config: RunConfig = {
    target,
    environment,
    allowDestructive: allow === true || selection.allowDestructive,
    // The environment file, then RUNBOOK_VAR_<NAME>, then --world-parameters: the last one wins.
    vars: { ...environment.vars, ...runbookVars(env), ...(vars as Record<string, string>) },
    reportsDir: optionalString(params, 'reportsDir') ?? reportsDirIn(env),
    waitTimeoutMs: wait,
    ...(typeof latency === 'number' && latency > 0 ? { sandboxLatencyMs: latency } : {}),
  };
  const context = optionalString(params, 'context') ?? env[CONTEXT_ENV] ?? environment.context;
  if (context) config.context = context;
  if (target === 'live') {
    const host = optionalString(params, 'host') ?? environment.host;
    if (!host)
      throw new ConfigError(
        'the live profile needs an environment: pass --env NAME (environments/NAME.yaml, see ' +
          `environments/example.yaml), or export ${HOST_ENV}=http://<kubesphere-host>`,
      );
    config.host = host;
    const kubeconfig = optionalString(params, 'kubeconfig') ?? environment.kubeconfig;
    if (kubeconfig) config.kubeconfig = kubeconfig;
    if (environment.cluster) config.cluster = environment.cluster;
    if (environment.caFile) config.caFile = environment.caFile;
  }
  return config;
}
