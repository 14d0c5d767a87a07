/**
 * The run context of one process (one cucumber worker): the target, the KAPI client, the
 * client-node reader, kubectl, the ledger and the evidence recorder. Built once per process;
 * scenarios share it and keep their own state (names, last answer) in the World.
 */
import { homedir } from 'node:os';
import { resolveCredentials } from '../environment/credentials';
import { EnvironmentError } from '../environment/errors';
import { checkSameCluster } from '../environment/preflight';
import { checkTools } from '../environment/tools';
import { KapiClient } from '../kapi/client';
import { commands } from '../kapi/commands';
import { HttpError, TLS_FAILURE_CODES } from '../kapi/errors';
import { whoAmI } from '../kapi/identity';
import { nodegroupRequests } from '../kapi/nodegroups';
import { tokenCachePath } from '../kapi/token-cache';
import { KubeApiError, KubeUnreachableError } from '../kube/errors';
import { KubeReader } from '../kube/reader';
import { RESOURCES } from '../kube/resources';
import { Kubectl } from './actions/kubectl-runner';
import { CA_FILE_ENV, type RunConfig } from './config';
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
  /** Member cluster (environment file `cluster:`). */
  cluster?: string;
  /** Who the server says the token is (set by the preflight), and how that was learned. */
  identity?: { user: string; source: string };
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

/**
 * Live access from the run's environment: its host, CA and cluster, and the credentials from where
 * its file says (environment variables, or a file); they never leave the process.
 */
export function liveAccess(
  config: RunConfig,
  env: Readonly<Record<string, string | undefined>>,
): TargetAccess {
  const { credentials, token } = resolveCredentials(config.environment.credentials, env);
  const caFile = config.caFile ?? env[CA_FILE_ENV];
  return {
    kind: 'live',
    host: config.host!,
    ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
    ...(config.context ? { context: config.context } : {}),
    ...(credentials ? { credentials } : {}),
    ...(token ? { token } : {}),
    tokenCacheFile: tokenCachePath(env['HOME'] || homedir()),
    ...(caFile ? { caFile } : {}),
    ...(config.cluster ? { cluster: config.cluster } : {}),
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
    ...(target.cluster ? { cluster: target.cluster } : {}),
  });
  if (record) recordExchanges(client, record);
  return client;
}

export function openKube(target: LedgerTarget): KubeReader {
  try {
    return KubeReader.fromKubeconfig(target.kubeconfig, target.context);
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
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
  // kubectl gets the kubeconfig as it was read: one file, a KUBECONFIG list, or the pod's account.
  const kubeconfig = kube.loaded?.kubectlPath ?? target.kubeconfig;
  const context = kube.loaded?.context ?? target.context;
  const kubectl = new Kubectl(kubeconfig, context, record);
  const ledger = Ledger.open(config.reportsDir, {
    runId,
    worker,
    pid: process.pid,
    startedAt: recorder.run.startedAt,
    target: {
      kind: target.kind,
      host: target.host,
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(context ? { context } : {}),
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

/**
 * Before any scenario: kubectl is there, the target can be reached with these credentials, the
 * KubeSphere host and the kubeconfig reach the same cluster, and who the token is. Nothing is changed.
 */
export async function preflight(ctx: RunContext): Promise<void> {
  checkTools({ kubectl: true });
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
  await checkSameCluster({
    kapi: ctx.kapi,
    host: ctx.target.host,
    ...(ctx.target.cluster ? { cluster: ctx.target.cluster } : {}),
    kube: ctx.verifier.kube,
  });
  ctx.target.identity = await whoAmI(ctx.kapi);
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
