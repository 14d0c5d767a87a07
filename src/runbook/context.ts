/**
 * The run context of one process (one cucumber worker): the target, the KAPI client, the
 * client-node reader, kubectl, the ledger and the evidence recorder. Built once per process;
 * scenarios share it and keep their own state (names, last answer) in the World.
 */
import { homedir } from 'node:os';
import { KapiClient } from '../kapi/client';
import { commands } from '../kapi/commands';
import { HttpError, TLS_FAILURE_CODES } from '../kapi/errors';
import { nodegroupRequests } from '../kapi/nodegroups';
import { tokenCachePath } from '../kapi/token-cache';
import { KubeApiError, KubeUnreachableError } from '../kube/errors';
import { KubeReader } from '../kube/reader';
import { RESOURCES } from '../kube/resources';
import { Kubectl } from './actions/kubectl-runner';
import { CA_FILE_ENV, PASSWORD_ENV, type RunConfig, TOKEN_ENV, USERNAME_ENV } from './config';
import { type BlockedCode, BlockedError, ConfigError } from './errors';
import { type Operation, Recorder } from './evidence';
import { explainBlocked } from './flow/blocked';
import { Verifier } from './flow/verifier';
import { recordExchanges } from './http-evidence';
import { Ledger, type LedgerTarget } from './ledger/ledger';

export interface TargetAccess extends LedgerTarget {
  /** Sandbox: its admin. Live: KUBESPHERE_USERNAME/PASSWORD, else KUBESPHERE_TOKEN or the token cache. */
  credentials?: { username: string; password: string };
  token?: string;
  /** The token cache of `nodegroup-api login` (live only). */
  tokenCacheFile?: string;
  /** PEM CA bundle for an https host (KUBESPHERE_CA_FILE), as the CLI reads it. */
  caFile?: string;
}

export interface RunContext {
  readonly config: RunConfig;
  readonly runId: string;
  readonly worker: string;
  readonly target: TargetAccess;
  readonly kapi: KapiClient;
  readonly verifier: Verifier;
  readonly kubectl: Kubectl;
  readonly ledger: Ledger;
  readonly recorder: Recorder;
  record(op: Operation): void;
  close(): Promise<void>;
}

/** An embedded sandbox as the target, logging in as its admin. */
export function sandboxAccess(sandbox: {
  url: string;
  kubeconfigPath: string;
  username: string;
  password: string;
}): TargetAccess {
  return {
    kind: 'sandbox',
    host: sandbox.url,
    kubeconfig: sandbox.kubeconfigPath,
    credentials: { username: sandbox.username, password: sandbox.password },
  };
}

/** Live access from the environment (credentials never leave the process). */
export function liveAccess(
  config: RunConfig,
  env: Readonly<Record<string, string | undefined>>,
): TargetAccess {
  const username = env[USERNAME_ENV];
  const password = env[PASSWORD_ENV];
  const token = env[TOKEN_ENV];
  return {
    kind: 'live',
    host: config.host!,
    ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
    ...(config.context ? { context: config.context } : {}),
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(token ? { token } : {}),
    tokenCacheFile: tokenCachePath(env['HOME'] || homedir()),
    ...(env[CA_FILE_ENV] ? { caFile: env[CA_FILE_ENV] } : {}),
  };
}

export function openKapi(
  target: TargetAccess,
  record?: (op: Operation, secrets?: readonly string[]) => void,
): KapiClient {
  const client = new KapiClient({
    host: target.host,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    ...(target.token ? { envToken: target.token } : {}),
    ...(target.tokenCacheFile ? { cacheFile: target.tokenCacheFile } : {}),
    ...(target.caFile ? { caFile: target.caFile } : {}),
  });
  if (record) recordExchanges(client, record);
  return client;
}

export function openKube(target: LedgerTarget): KubeReader {
  try {
    return KubeReader.fromKubeconfig(target.kubeconfig, target.context);
  } catch (err) {
    throw new ConfigError(
      `cannot use the kubeconfig ${target.kubeconfig ?? '(KUBECONFIG / ~/.kube/config)'}: ${(err as Error).message}; ` +
        'set KUBECONFIG (and --world-parameters \'{"context":"..."}\' for another context)',
      { cause: err },
    );
  }
}

export function openRunContext(options: {
  config: RunConfig;
  runId: string;
  worker: string;
  target: TargetAccess;
}): RunContext {
  const { config, runId, worker, target } = options;
  const kube = openKube(target);
  const recorder = new Recorder({
    runId,
    worker,
    target: { kind: target.kind, host: target.host, kubeServer: kube.server },
    startedAt: new Date().toISOString(),
    scenarios: [],
  });
  // Secrets an operation carried (login password, issued tokens) are scrubbed from all evidence.
  const record = (op: Operation, secrets?: readonly string[]) => recorder.add(op, secrets);
  // A token given from outside never passes an OAuth answer: register it so no evidence shows it.
  if (target.token) recorder.redactor.addSecret(target.token);
  const kapi = openKapi(target, record);
  const kubectl = new Kubectl(target.kubeconfig, target.context, record);
  const ledger = Ledger.open(config.reportsDir, {
    runId,
    worker,
    pid: process.pid,
    startedAt: recorder.run.startedAt,
    target: {
      kind: target.kind,
      host: target.host,
      ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
      ...(target.context ? { context: target.context } : {}),
    },
  });
  return {
    config,
    runId,
    worker,
    target,
    kapi,
    verifier: new Verifier(kube, record, config.waitTimeoutMs),
    kubectl,
    ledger,
    recorder,
    record,
    async close() {
      kubectl.close();
      await kapi.close();
    },
  };
}

/** Before any scenario: can the target be reached with these credentials? Nothing is changed. */
export async function preflight(ctx: RunContext): Promise<void> {
  const req = nodegroupRequests.list({ limit: 1 });
  try {
    await ctx.kapi.call(req);
  } catch (err) {
    const explained = explainBlocked(err, ctx.target.host, commands.list(), req);
    if (explained instanceof BlockedError) throw explained;
    if (err instanceof HttpError && err.status === 403)
      throw new BlockedError(
        'RUNBOOK_ENV_RBAC',
        `${ctx.target.host} does not let this user list nodegroups (403 ${err.serverMessage}): use a user with the nodegroup role`,
        commands.list(),
        `GET ${req.path}`,
        err,
      );
    throw err;
  }
  try {
    await ctx.verifier.kube.list(RESOURCES.namespace, { labelSelector: 'runbook-preflight=none' });
  } catch (err) {
    throw new BlockedError(
      kubeBlockedCode(err),
      `cannot read the Kubernetes API at ${ctx.verifier.kube.server || '(no server)'} (${(err as Error).message}); ` +
        'check KUBECONFIG and its context',
      `kubectl get namespaces${ctx.target.context ? ` --context ${ctx.target.context}` : ''}`,
      'GET /api/v1/namespaces',
      err as Error,
    );
  }
}

/** Why a Kubernetes read failed, by its code and status. */
function kubeBlockedCode(err: unknown): BlockedCode {
  if (err instanceof KubeApiError)
    return err.status === 403
      ? 'RUNBOOK_ENV_RBAC'
      : err.status === 401
        ? 'RUNBOOK_ENV_AUTH'
        : 'RUNBOOK_ENV_UNREACHABLE';
  if (err instanceof KubeUnreachableError && TLS_FAILURE_CODES.has(err.causeCode)) return 'RUNBOOK_ENV_TLS';
  return 'RUNBOOK_ENV_UNREACHABLE';
}
