/**
 * Start an embedded sandbox: store + fixture (or saved state) + controller + both listeners, and
 * the files a client needs (kubeconfig, env file). In-process for tests and runbooks; the
 * `nodegroup-sandbox` command wraps it for interactive use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_USER } from '../constants';
import { NodegroupController } from './controller/controller';
import { watchRollouts } from './controller/rollout';
import { createControl } from './faults/control';
import { Faults } from './faults/registry';
import { createKubeApi } from './kubernetes/rest';
import { createKapi } from './kubesphere/kapi';
import { Authenticator } from './kubesphere/oauth';
import { createClusterList, isClusterListPath } from './members/cluster-list';
import { Members } from './members/members';
import { envFileText, kubeconfigYaml } from './server/client-files';
import { loadFixture } from './server/fixture';
import { type Listeners, startListeners } from './server/server';
import { createCertificates } from './server/tls';
import { ObjectStore, type StoreDump } from './store/store';
import { workloadAdmission } from './workloads/admission';
import { WorkloadController } from './workloads/workload-controller';

/** The files the sandbox writes hold tokens and passwords: readable by their owner only. */
const SECRET = { mode: 0o600 };
export interface SandboxOptions {
  /** ks-apiserver port (http); 0 or absent lets the OS choose. */
  port?: number;
  /** kube-apiserver port (https); 0 or absent lets the OS choose. */
  kubePort?: number;
  /** Admin password (default KubeSphere's P@88w0rd). */
  password?: string;
  /** The read-only viewer's password (default: random); written to the env file either way. */
  viewerPassword?: string;
  /** Load state from this file at start (when it exists) and save to it on stop. */
  statePath?: string;
  /**
   * Start from this state instead of the fixture or the state file (a twin); reset returns to it.
   * The store adopts its objects (frozen, not copied): the caller must not change them afterwards.
   */
  state?: StoreDump;
  /** Write `export` lines for the KUBESPHERE_* variables and KUBECONFIG here (kubeconfig beside it). */
  envFile?: string;
  /** Member clusters member-1..N behind the host (default 0), each with its own store and controller. */
  members?: number;
  /** Extra edge nodes on every member (scale runs; default 0). */
  memberNodes?: number;
}

export interface Sandbox {
  /** ks-apiserver URL (http): OAuth, KAPI, /api, /apis, /sandbox/v1. */
  url: string;
  /** kube-apiserver URL (https; CA in `caPem` and the kubeconfig). */
  kubeUrl: string;
  username: string;
  password: string;
  readonly: { username: string; password: string };
  caPem: string;
  kubeconfigPath: string;
  envFile?: string;
  /** KUBESPHERE_HOST, KUBESPHERE_USERNAME, KUBESPHERE_PASSWORD, KUBECONFIG. */
  env: Record<string, string>;
  store: ObjectStore;
  faults: Faults;
  /** The member clusters, reached only through the host's `/clusters/{name}/...` paths. */
  members: Members;
  /** Back to the fixture, faults cleared (what POST /sandbox/v1/reset does). */
  reset(): void;
  stop(): Promise<void>;
}

export function readStateFile(path: string): StoreDump {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the sandbox state file ${path}: ${(err as Error).message}`);
  }
  try {
    const dump = JSON.parse(text) as StoreDump;
    if (typeof dump.resourceVersion !== 'number' || typeof dump.objects !== 'object')
      throw new Error('not a sandbox state');
    return dump;
  } catch (err) {
    throw new Error(
      `the sandbox state file ${path} is not a saved sandbox state (${(err as Error).message}); move it away or pass another --state path`,
    );
  }
}

function stateExists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new Error(`cannot read the sandbox state file ${path}: ${(err as Error).message}`);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const password = options.password ?? DEFAULT_ADMIN_PASSWORD;
  const store = new ObjectStore();
  const fresh = () => {
    store.load(options.state ?? { resourceVersion: 0, objects: {} }, { adopt: options.state !== undefined });
    if (!options.state) loadFixture(store);
  };
  if (options.state) store.load(options.state, { adopt: true });
  else if (options.statePath && stateExists(options.statePath)) store.load(readStateFile(options.statePath));
  else loadFixture(store);

  const auth = new Authenticator({
    adminPassword: password,
    ...(options.viewerPassword !== undefined ? { readonlyPassword: options.viewerPassword } : {}),
  });
  const faults = new Faults({ store, expireTokens: () => auth.expireAll() });
  const controller = new NodegroupController({ store, faults });
  const members = new Members({ count: options.members ?? 0, extraNodes: options.memberNodes ?? 0 });
  const workloads = new WorkloadController(store);
  const reset = () => {
    faults.clear();
    fresh();
    controller.resync();
    members.reset();
    workloads.resync();
  };
  const certs = await createCertificates();
  let listeners: Listeners;
  controller.start();
  members.start();
  workloads.start();
  const stopRestartWatch = watchRollouts(store, faults);
  try {
    listeners = await startListeners(
      {
        auth,
        faults,
        kube: createKubeApi(store, workloadAdmission(store)),
        kapi: createKapi({ store }),
        control: createControl(faults, { reset }),
        clusters: {
          member: (name) => members.get(name),
          isListPath: isClusterListPath,
          list: createClusterList({ hostNodes: () => store.list('nodes').items.length, members, faults }),
        },
      },
      certs,
      { port: options.port, kubePort: options.kubePort },
    );
  } catch (err) {
    controller.stop();
    members.stop();
    workloads.stop();
    stopRestartWatch();
    throw err;
  }

  const envFile = options.envFile ? resolve(options.envFile) : undefined;
  const filesDir = envFile ? dirname(envFile) : mkdtempSync(join(tmpdir(), 'nodegroup-sandbox-'));
  const kubeconfigPath = join(filesDir, envFile ? 'sandbox.kubeconfig' : 'kubeconfig');
  const env = {
    KUBESPHERE_HOST: listeners.url,
    KUBESPHERE_USERNAME: DEFAULT_ADMIN_USER,
    KUBESPHERE_PASSWORD: password,
    KUBECONFIG: kubeconfigPath,
  };
  // The viewer's login too, so read-only checks can be tried (not in `env`: runs log in as admin).
  const viewer = auth.credentials.readonly;
  try {
    writeFileAtomic(
      kubeconfigPath,
      kubeconfigYaml({
        server: listeners.kubeUrl,
        caPem: certs.caPem,
        token: auth.issueToken(DEFAULT_ADMIN_USER),
        user: DEFAULT_ADMIN_USER,
      }),
      SECRET,
    );
    if (envFile)
      writeFileAtomic(
        envFile,
        envFileText({
          ...env,
          KUBESPHERE_VIEWER_USERNAME: viewer.username,
          KUBESPHERE_VIEWER_PASSWORD: viewer.password,
        }),
        SECRET,
      );
  } catch (err) {
    // Without its files the sandbox is of no use: stop it rather than serve on (the command would hang).
    controller.stop();
    members.stop();
    workloads.stop();
    stopRestartWatch();
    await listeners.close();
    throw new Error(`cannot write the sandbox's client files in ${filesDir}: ${(err as Error).message}`);
  }

  let stopped = false;
  return {
    url: listeners.url,
    kubeUrl: listeners.kubeUrl,
    username: DEFAULT_ADMIN_USER,
    password,
    readonly: auth.credentials.readonly,
    caPem: certs.caPem,
    kubeconfigPath,
    envFile,
    env,
    store,
    faults,
    members,
    reset,
    async stop() {
      if (stopped) return;
      stopped = true;
      controller.stop();
      members.stop();
      workloads.stop();
      stopRestartWatch();
      await listeners.close();
      if (options.statePath) writeFileAtomic(options.statePath, JSON.stringify(store.dump()), SECRET);
      if (!envFile) rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
