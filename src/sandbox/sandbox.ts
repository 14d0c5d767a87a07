/**
 * Start an embedded sandbox: store + fixture (or saved state) + controller + both listeners, and
 * the files a client needs (kubeconfig, env file). In-process for tests and runbooks; the
 * `nodegroup-sandbox` command wraps it for interactive use.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_USER } from '../constants';
import { Authenticator } from './auth';
import { envFileText, kubeconfigYaml } from './client-files';
import { NodegroupController } from './controller';
import { restartEndsPause } from './controller-pod';
import { Faults } from './faults';
import { loadFixture } from './fixture';
import { createKapi } from './kapi';
import { createKubeApi } from './kube-rest';
import { type Listeners, startListeners } from './server';
import { ObjectStore, type StoreDump } from './store';
import { createCertificates } from './tls';
import { workloadAdmission } from './workloads/admission';
import { WorkloadController } from './workloads/controller';
import { writeFileAtomic } from './write-file';

export interface SandboxOptions {
  /** ks-apiserver port (http); 0 or absent lets the OS choose. */
  port?: number;
  /** kube-apiserver port (https); 0 or absent lets the OS choose. */
  kubePort?: number;
  /** Admin password (default KubeSphere's P@88w0rd). */
  password?: string;
  /** Password of the read-only user (random when absent). */
  readonlyPassword?: string;
  /** Load state from this file at start (when it exists) and save to it on stop. */
  statePath?: string;
  /** Write `export` lines for the KUBESPHERE_* variables and KUBECONFIG here (kubeconfig beside it). */
  envFile?: string;
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
    store.load({ resourceVersion: 0, objects: {} });
    loadFixture(store);
  };
  if (options.statePath && stateExists(options.statePath)) store.load(readStateFile(options.statePath));
  else loadFixture(store);

  const auth = new Authenticator({ adminPassword: password, readonlyPassword: options.readonlyPassword });
  const faults = new Faults({ store, expireTokens: () => auth.expireAll() });
  const controller = new NodegroupController({ store, faults });
  const workloads = new WorkloadController(store);
  const reset = () => {
    faults.clear();
    fresh();
    controller.resync();
    workloads.resync();
  };
  const certs = await createCertificates();
  let listeners: Listeners;
  controller.start();
  workloads.start();
  const stopRestartWatch = restartEndsPause(store, faults);
  try {
    listeners = await startListeners(
      {
        auth,
        faults,
        kube: createKubeApi(store, workloadAdmission(store)),
        kapi: createKapi({ store }),
        control: (ctx) => faults.handleControl(ctx, { reset }),
      },
      certs,
      { port: options.port, kubePort: options.kubePort },
    );
  } catch (err) {
    controller.stop();
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
  try {
    writeFileAtomic(
      kubeconfigPath,
      kubeconfigYaml({
        server: listeners.kubeUrl,
        caPem: certs.caPem,
        token: auth.issueToken(DEFAULT_ADMIN_USER),
        user: DEFAULT_ADMIN_USER,
      }),
    );
    if (envFile) writeFileAtomic(envFile, envFileText(env));
  } catch (err) {
    // Without its files the sandbox is of no use: stop it rather than serve on (the command would hang).
    controller.stop();
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
    reset,
    async stop() {
      if (stopped) return;
      stopped = true;
      controller.stop();
      workloads.stop();
      stopRestartWatch();
      await listeners.close();
      if (options.statePath) writeFileAtomic(options.statePath, JSON.stringify(store.dump()));
      if (!envFile) rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
