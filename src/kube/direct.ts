/**
 * GETs to the Kubernetes API straight over node:http/https, for kubeconfigs whose credentials are
 * plain data (a token or token file, a client certificate, basic auth; a CA or
 * insecure-skip-tls-verify): the reads a run makes before its first step then cost no
 * @kubernetes/client-node load (~0.4-1 s). Anything else (exec and auth-provider plugins,
 * proxies, impersonation) is left to client-node: `directAccess` answers undefined for it.
 */
import { readFileSync } from 'node:fs';
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { LoadedKubeconfig } from './kubeconfig';

type Fields = Record<string, unknown>;

/** The current context's cluster and user entries (undefined when the context names none). */
export function currentEntries(loaded: LoadedKubeconfig): { cluster?: Fields; user?: Fields } {
  const ctx = loaded.doc.contexts.find((c) => c.name === loaded.context)?.['context'] as Fields | undefined;
  const entry = (list: { name: string; [k: string]: unknown }[], name: unknown, key: string) =>
    list.find((e) => e.name === name)?.[key] as Fields | undefined;
  const cluster = entry(loaded.doc.clusters, ctx?.['cluster'], 'cluster');
  const user = entry(loaded.doc.users, ctx?.['user'], 'user');
  return { ...(cluster ? { cluster } : {}), ...(user ? { user } : {}) };
}

const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions',
]);
const USER_KEYS = new Set([
  'token',
  'tokenFile',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'username',
  'password',
  'extensions',
]);

export interface DirectAccess {
  server: string;
  get(path: string): Promise<{ status: number; body: unknown }>;
}

const dataOrFile = (fields: Fields, key: string): Buffer | undefined => {
  const data = fields[`${key}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const file = fields[key];
  return typeof file === 'string' && file ? readFileSync(file) : undefined;
};

/** A reader of GETs for this kubeconfig, or undefined when only client-node can apply its credentials. */
export function directAccess(loaded: LoadedKubeconfig): DirectAccess | undefined {
  const { cluster = {}, user = {} } = currentEntries(loaded);
  const server = cluster['server'];
  if (typeof server !== 'string' || !/^https?:\/\//.test(server)) return undefined;
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k))) return undefined;
  if (Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined;
  const secure = server.startsWith('https:');
  let agent: HttpAgent | HttpsAgent | undefined;
  const agentOf = (): HttpAgent | HttpsAgent => {
    if (agent) return agent;
    if (!secure) {
      agent = new (require('node:http') as typeof import('node:http')).Agent({ keepAlive: true });
      return agent;
    }
    const ca = dataOrFile(cluster, 'certificate-authority');
    const cert = dataOrFile(user, 'client-certificate');
    const key = dataOrFile(user, 'client-key');
    const servername = cluster['tls-server-name'];
    agent = new (require('node:https') as typeof import('node:https')).Agent({
      keepAlive: true,
      rejectUnauthorized: cluster['insecure-skip-tls-verify'] !== true,
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(typeof servername === 'string' && servername ? { servername } : {}),
    });
    return agent;
  };
  const authorization = (): string | undefined => {
    // A token file is read at each request: a projected service-account token rotates.
    const token =
      typeof user['token'] === 'string' && user['token']
        ? user['token']
        : typeof user['tokenFile'] === 'string'
          ? readFileSync(user['tokenFile'], 'utf8').trim()
          : undefined;
    if (token) return `Bearer ${token}`;
    if (typeof user['username'] === 'string' && typeof user['password'] === 'string')
      return `Basic ${Buffer.from(`${user['username']}:${user['password']}`).toString('base64')}`;
    return undefined;
  };
  return {
    server,
    get(path) {
      // A server with a path (a member behind KubeSphere's dispatcher: `.../clusters/m`) keeps it.
      const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
      const auth = authorization();
      const lib = (secure ? require('node:https') : require('node:http')) as typeof import('node:https');
      return new Promise((resolve, reject) => {
        const req = lib.request(
          url,
          {
            method: 'GET',
            agent: agentOf() as HttpsAgent,
            headers: { accept: 'application/json', ...(auth ? { authorization: auth } : {}) },
          },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
              } catch (err) {
                reject(
                  new Error(`GET ${url.pathname}: ${res.statusCode} answer is not JSON`, { cause: err }),
                );
              }
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
  };
}
