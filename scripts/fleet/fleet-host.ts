/**
 * The host a fleet run goes through: the live environment's KubeSphere, or an embedded sandbox
 * started with as many members as the run names. Lists the member clusters (KubeSphere's cluster
 * list), gets one token for the children, writes each member's kubeconfig and environment file,
 * and probes a member before its run (a member that cannot be reached is not run).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { type ClusterChoice, resolveClusters } from '../../src/environment/clusters';
import { resolveCredentials } from '../../src/environment/credentials';
import { EnvironmentError } from '../../src/environment/errors';
import type { Environment } from '../../src/environment/file';
import { KapiClient } from '../../src/kapi/client';

/** Members the embedded sandbox starts with for `--clusters all`. */
export const DEFAULT_SANDBOX_MEMBERS = 3;
const CLUSTER_LIST = '/apis/cluster.kubesphere.io/v1alpha1/clusters';
const PROBE_TIMEOUT_MS = 5_000;

export interface ClusterState {
  name: string;
  ready: boolean;
  /** Why not ready (the Ready condition's message). */
  message?: string;
}

export interface FleetHost {
  host: string;
  /** Where members' Kubernetes paths are served over TLS (the sandbox: its kube-apiserver). */
  kubeBase: string;
  caFile?: string;
  kubeCaFile?: string;
  environment: Environment;
  /** Variables the children need besides the parent's (the sandbox's login). */
  childEnv: Record<string, string>;
  kapi: KapiClient;
  stop(): Promise<void>;
}

/** How many members the sandbox needs for this choice: `member-N` names, the highest N. */
export function sandboxMembersFor(choice: ClusterChoice): number {
  if (choice === 'all') return DEFAULT_SANDBOX_MEMBERS;
  let most = 0;
  for (const name of choice) {
    const n = /^member-([1-9][0-9]?)$/.exec(name)?.[1];
    if (!n)
      throw new EnvironmentError(
        'ENV_UNKNOWN_CLUSTER',
        `unknown cluster ${name}: the embedded sandbox's member clusters are member-1..member-64 (--clusters all: member-1..member-${DEFAULT_SANDBOX_MEMBERS})`,
      );
    most = Math.max(most, Number(n));
  }
  return most;
}

export async function openFleetHost(
  environment: Environment,
  choice: ClusterChoice,
  env: Readonly<Record<string, string | undefined>>,
): Promise<FleetHost> {
  if (environment.kind === 'sandbox') {
    const { startSandbox } =
      require('../../src/sandbox/sandbox') as typeof import('../../src/sandbox/sandbox');
    const sandbox = await startSandbox({ members: sandboxMembersFor(choice) });
    const credentials = { username: sandbox.username, password: sandbox.password };
    const caFile = join(sandbox.kubeconfigPath, '..', 'fleet-ca.pem');
    writeFileSync(caFile, sandbox.caPem);
    return {
      host: sandbox.url,
      kubeBase: sandbox.kubeUrl,
      kubeCaFile: caFile,
      environment,
      // The members are the sandbox's: every operation is allowed there, as on the sandbox itself.
      childEnv: {
        KUBESPHERE_USERNAME: sandbox.username,
        KUBESPHERE_PASSWORD: sandbox.password,
        RUNBOOK_ALLOW_DESTRUCTIVE: '1',
      },
      kapi: new KapiClient({ host: sandbox.url, credentials }),
      stop: () => sandbox.stop(),
    };
  }
  const { credentials, token } = resolveCredentials(environment.credentials, env);
  const host = environment.host!;
  const kapi = new KapiClient({
    host,
    ...(credentials ? { credentials } : {}),
    ...(token ? { envToken: token } : {}),
    ...(environment.caFile ? { caFile: environment.caFile } : {}),
  });
  return {
    host,
    ...kubeBaseOf(environment, host),
    ...(environment.caFile ? { caFile: environment.caFile } : {}),
    environment,
    childEnv: {},
    kapi,
    stop: () => kapi.close(),
  };
}

/**
 * Where the members' Kubernetes paths go: the host itself when it is https. kubectl sends no token
 * over plain http, so for an http host the environment's kubeconfig server is used when it is https
 * (the sandbox's kube-apiserver serves the members' paths too), with its CA.
 */
function kubeBaseOf(environment: Environment, host: string): { kubeBase: string; kubeCaFile?: string } {
  const own = { kubeBase: host, ...(environment.caFile ? { kubeCaFile: environment.caFile } : {}) };
  if (host.startsWith('https://') || !environment.kubeconfig) return own;
  const { KubeConfig } = require('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    config.loadFromFile(environment.kubeconfig.split(delimiter)[0]!);
  } catch {
    return own;
  }
  if (environment.context) config.setCurrentContext(environment.context);
  const cluster = config.getCurrentCluster();
  if (!cluster?.server.startsWith('https://')) return own;
  const dir = mkdtempSync(join(tmpdir(), 'fleet-ca-'));
  const caFile = cluster.caFile ?? join(dir, 'ca.pem');
  if (!cluster.caFile && cluster.caData) writeFileSync(caFile, Buffer.from(cluster.caData, 'base64'));
  return { kubeBase: cluster.server, ...(cluster.caFile || cluster.caData ? { kubeCaFile: caFile } : {}) };
}

interface ClusterList {
  items?: {
    metadata?: { name?: string };
    status?: { conditions?: { type: string; status: string; message?: string }[] };
  }[];
}

/** The clusters KubeSphere lists, with their Ready condition. */
export async function listClusters(kapi: KapiClient): Promise<ClusterState[]> {
  let list: ClusterList;
  try {
    list = await kapi.call<ClusterList>({ method: 'GET', path: CLUSTER_LIST });
  } catch (err) {
    throw new EnvironmentError(
      'ENV_UNKNOWN_CLUSTER',
      `cannot list the member clusters (GET ${CLUSTER_LIST}: ${(err as Error).message}); is this a multi-cluster KubeSphere host?`,
    );
  }
  return (list.items ?? []).flatMap((c) => {
    const name = c.metadata?.name;
    if (!name) return [];
    const ready = c.status?.conditions?.find((k) => k.type === 'Ready');
    return [{ name, ready: ready?.status === 'True', ...(ready?.message ? { message: ready.message } : {}) }];
  });
}

export async function selectClusters(kapi: KapiClient, choice: ClusterChoice): Promise<ClusterState[]> {
  const states = await listClusters(kapi);
  const names = resolveClusters(
    choice,
    states.map((s) => s.name),
  );
  return names.map((n) => states.find((s) => s.name === n)!);
}

/** Can the host reach this member now? Its `/clusters/{c}/version`, within 5 s. */
export async function probeMember(kapi: KapiClient, state: ClusterState): Promise<string | undefined> {
  if (!state.ready)
    return `cluster ${state.name} is not Ready in the host's cluster list${state.message ? ` (${state.message})` : ''}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      kapi.call({ method: 'GET', path: `/clusters/${encodeURIComponent(state.name)}/version` }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return undefined;
  } catch (err) {
    return `the host cannot reach cluster ${state.name}: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/** The kubeconfig and environment file a member's run uses: the host's dispatcher, one token. */
export function writeMemberFiles(fleet: FleetHost, cluster: string, token: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const kubeconfig = join(dir, 'kubeconfig');
  const server = `${fleet.kubeBase.replace(/\/+$/, '')}/clusters/${encodeURIComponent(cluster)}`;
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: cluster,
          cluster: {
            server,
            ...(fleet.kubeCaFile ? { 'certificate-authority': fleet.kubeCaFile } : {}),
          },
        },
      ],
      users: [{ name: 'fleet', user: { token } }],
      contexts: [{ name: cluster, context: { cluster, user: 'fleet' } }],
      'current-context': cluster,
    }),
    { mode: 0o600 },
  );
  const e = fleet.environment;
  const file = join(dir, 'environment.yaml');
  writeFileSync(
    file,
    stringify({
      description: `${e.name}, member cluster ${cluster} (fleet run)`,
      host: fleet.host,
      cluster,
      kubeconfig,
      protected: e.protected,
      vars: e.vars,
      credentials: e.credentials.file
        ? e.credentials.file
        : {
            username: e.credentials.usernameEnv,
            password: e.credentials.passwordEnv,
            token: e.credentials.tokenEnv,
          },
      ...(fleet.caFile ? { caFile: fleet.caFile } : {}),
    }),
  );
  return file;
}
