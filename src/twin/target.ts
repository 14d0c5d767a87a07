/**
 * The live environment a twin is read from, and the read-only access to it: the KAPI client
 * (src/kapi) for ks-apiserver and the client-node reader (src/kube) for the Kubernetes API. Every
 * request either sends is logged, so an import can show it only read.
 */
import { homedir } from 'node:os';
import { KapiClient } from '../kapi/client';
import { CA_FILE_ENV, HOST_ENV, PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV } from '../kapi/env';
import { tokenCachePath } from '../kapi/token-cache';
import { KubeReader } from '../kube/reader';

/** Where and as whom to read (the shape of the runner's live target access). */
export interface TwinTarget {
  /** ks-apiserver URL. */
  host: string;
  /** kubeconfig file; absent: KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  credentials?: { username: string; password: string };
  token?: string;
  /** The token cache of `nodegroup-api login`. */
  tokenCacheFile?: string;
  /** PEM CA bundle for an https host. */
  caFile?: string;
}

export const KUBECONFIG_ENV = 'KUBECONFIG';
export const CONTEXT_ENV = 'KUBECONFIG_CONTEXT';

/** The target from the variables the runner's live profile reads. */
export function twinTargetFromEnv(env: Readonly<Record<string, string | undefined>>): TwinTarget {
  const host = env[HOST_ENV];
  if (!host)
    throw new Error(
      `no environment to read: export ${HOST_ENV}=http://<kubesphere-host> (and ${USERNAME_ENV}/${PASSWORD_ENV} or ${TOKEN_ENV}, ${KUBECONFIG_ENV})`,
    );
  const username = env[USERNAME_ENV];
  const password = env[PASSWORD_ENV];
  return {
    host,
    ...(env[KUBECONFIG_ENV] ? { kubeconfig: env[KUBECONFIG_ENV] } : {}),
    ...(env[CONTEXT_ENV] ? { context: env[CONTEXT_ENV] } : {}),
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(env[TOKEN_ENV] ? { token: env[TOKEN_ENV] } : {}),
    tokenCacheFile: tokenCachePath(env['HOME'] || homedir()),
    ...(env[CA_FILE_ENV] ? { caFile: env[CA_FILE_ENV] } : {}),
  };
}

/** One request sent to the environment. */
export interface SentRequest {
  via: 'kapi' | 'kube';
  method: string;
  path: string;
}

export interface TwinSource {
  readonly kapi: KapiClient;
  readonly kube: KubeReader;
  readonly host: string;
  readonly kubeServer: string;
  /** Every request sent so far, in order (the login's POST /oauth/token included). */
  readonly requests: SentRequest[];
  close(): Promise<void>;
}

export function openTwinSource(target: TwinTarget): TwinSource {
  let kube: KubeReader;
  try {
    kube = KubeReader.fromKubeconfig(target.kubeconfig, target.context);
  } catch (err) {
    throw new Error(
      `the twin import cannot use the kubeconfig: ${(err as Error).message}; set ${KUBECONFIG_ENV} (and ${CONTEXT_ENV})`,
    );
  }
  const kapi = new KapiClient({
    host: target.host,
    ...(target.credentials ? { credentials: target.credentials } : {}),
    ...(target.token ? { envToken: target.token } : {}),
    ...(target.tokenCacheFile ? { cacheFile: target.tokenCacheFile } : {}),
    ...(target.caFile ? { caFile: target.caFile } : {}),
  });
  const requests: SentRequest[] = [];
  kube.observe((path) => requests.push({ via: 'kube', method: 'GET', path }));
  kapi.transport.observe((exchange) => {
    const path = exchange.request.path.split('?')[0] ?? exchange.request.path;
    requests.push({ via: 'kapi', method: exchange.request.method, path });
  });
  return {
    kapi,
    kube,
    host: target.host,
    kubeServer: kube.server,
    requests,
    close: () => kapi.close(),
  };
}
