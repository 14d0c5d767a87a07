/**
 * The kubeconfig as kubectl reads it: `--kubeconfig`/the environment's path(s) (each must exist),
 * else KUBECONFIG as a list of files merged the way kubectl merges them (the first file to set a
 * cluster, user, context or current-context wins; missing files are skipped; relative paths are
 * relative to their file),
 * else ~/.kube/config, else the pod's service account (KUBERNETES_SERVICE_HOST and the token
 * under /var/run/secrets/kubernetes.io/serviceaccount). A missing context lists the known ones.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { EnvironmentError } from '../environment/errors';

type Env = Readonly<Record<string, string | undefined>>;
type Named = { name: string; [key: string]: unknown };
interface KubeconfigDoc {
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  'current-context'?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** A folder put before SERVICE_ACCOUNT_DIR (tests; a pod leaves it unset). */
export const SERVICE_ACCOUNT_ROOT_ENV = 'RUNBOOK_SERVICE_ACCOUNT_ROOT';

export interface LoadedKubeconfig {
  doc: KubeconfigDoc;
  /** The files read, in merge order. */
  files: string[];
  /** Where it came from, for messages. */
  source: string;
  /** What kubectl is given: one file (--kubeconfig) or a list (as KUBECONFIG). */
  kubectlPath: string;
  context: string;
  contexts: string[];
}

const PATH_KEYS: Record<'clusters' | 'users', string[]> = {
  clusters: ['certificate-authority'],
  users: ['client-certificate', 'client-key', 'tokenFile'],
};

function readFile(file: string): KubeconfigDoc {
  const text = readFileSync(file, 'utf8');
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    // The first line only: the parser goes on to quote the file, which may hold a token.
    const why = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new EnvironmentError(
      'ENV_KUBECONFIG',
      `cannot load the kubeconfig ${file}: ${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}not valid YAML: ${why}`,
    );
  }
  const raw = (doc.toJS() ?? {}) as Record<string, unknown>;
  const base = dirname(resolve(file));
  const out: KubeconfigDoc = { clusters: [], users: [], contexts: [] };
  for (const kind of ['clusters', 'users', 'contexts'] as const) {
    const list = Array.isArray(raw[kind]) ? (raw[kind] as Named[]) : [];
    for (const entry of list) {
      if (!entry || typeof entry.name !== 'string') continue;
      const inner = kind === 'contexts' ? undefined : (entry[kind.slice(0, -1)] as Record<string, unknown>);
      if (inner && kind !== 'contexts')
        for (const key of PATH_KEYS[kind]) {
          const p = inner[key];
          if (typeof p === 'string' && p !== '' && !isAbsolute(p)) inner[key] = resolve(base, p);
        }
      out[kind].push(entry);
    }
  }
  if (typeof raw['current-context'] === 'string' && raw['current-context'])
    out['current-context'] = raw['current-context'];
  return out;
}

/** kubectl's merge: the first file to name something keeps it. */
export function mergeKubeconfigs(docs: KubeconfigDoc[]): KubeconfigDoc {
  const merged: KubeconfigDoc = { clusters: [], users: [], contexts: [] };
  for (const doc of docs) {
    for (const kind of ['clusters', 'users', 'contexts'] as const)
      for (const entry of doc[kind])
        if (!merged[kind].some((e) => e.name === entry.name)) merged[kind].push(entry);
    if (!merged['current-context'] && doc['current-context'])
      merged['current-context'] = doc['current-context'];
  }
  return merged;
}

/** The pod's service account as a kubeconfig (paths only, no token in it). */
function inClusterDoc(env: Env): { doc: KubeconfigDoc; dir: string } | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'] || '443';
  const dir = join(env[SERVICE_ACCOUNT_ROOT_ENV] ?? '', SERVICE_ACCOUNT_DIR);
  if (!host || !existsSync(join(dir, 'token'))) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const doc: KubeconfigDoc = {
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': join(dir, 'ca.crt') } }],
    users: [{ name: 'service-account', user: { tokenFile: join(dir, 'token') } }],
    contexts: [
      {
        name: 'in-cluster',
        context: { cluster: 'in-cluster', user: 'service-account', ...(namespace ? { namespace } : {}) },
      },
    ],
    'current-context': 'in-cluster',
  };
  return { doc, dir };
}

export function loadKubeconfig(
  options: { path?: string; context?: string; env?: Env } = {},
): LoadedKubeconfig {
  const env = options.env ?? process.env;
  let candidates: string[];
  let source: string;
  if (options.path) {
    candidates = options.path.split(delimiter).filter(Boolean);
    source = options.path;
  } else if (env['KUBECONFIG']) {
    candidates = env['KUBECONFIG'].split(delimiter).filter(Boolean);
    source = `KUBECONFIG=${env['KUBECONFIG']}`;
  } else {
    candidates = [join(env['HOME'] || homedir(), '.kube', 'config')];
    source = candidates[0]!;
  }
  // A path given explicitly must be there (as kubectl --kubeconfig); KUBECONFIG skips missing files.
  if (options.path)
    for (const f of candidates)
      if (!existsSync(f))
        throw new EnvironmentError(
          'ENV_KUBECONFIG',
          `cannot load the kubeconfig ${f}: ENOENT (no such file)`,
        );
  const files = candidates.filter((f) => existsSync(f));
  let doc: KubeconfigDoc;
  let kubectlPath: string;
  if (files.length > 0) {
    doc = mergeKubeconfigs(files.map(readFile));
    kubectlPath = files.join(delimiter);
  } else {
    const inCluster = options.path || env['KUBECONFIG'] ? undefined : inClusterDoc(env);
    if (!inCluster)
      throw new EnvironmentError(
        'ENV_KUBECONFIG',
        `no kubeconfig: ${candidates.join(', ')} ${candidates.length > 1 ? 'do' : 'does'} not exist` +
          (options.path || env['KUBECONFIG']
            ? ''
            : ', and this is not a pod with a service account (KUBERNETES_SERVICE_HOST)') +
          '; set kubeconfig in the environment file or KUBECONFIG',
      );
    doc = inCluster.doc;
    source = `the service account in ${inCluster.dir}`;
    kubectlPath = writeInClusterKubeconfig(doc);
  }
  const contexts = doc.contexts.map((c) => c.name);
  const context = options.context ?? doc['current-context'];
  if (!context)
    throw new EnvironmentError(
      'ENV_CONTEXT_MISSING',
      `the kubeconfig ${source} has no current-context; choose one with context: in the environment file ` +
        `(or --context); its contexts: ${contexts.join(', ') || 'none'}`,
    );
  if (!contexts.includes(context))
    throw new EnvironmentError(
      'ENV_CONTEXT_MISSING',
      `the kubeconfig ${source} has no context "${context}"; its contexts: ${contexts.join(', ') || 'none'}`,
    );
  return { doc, files, source, kubectlPath, context, contexts };
}

/** kubectl reads `tokenFile`; the in-cluster kubeconfig goes to a file (paths only, no secret). */
function writeInClusterKubeconfig(doc: KubeconfigDoc): string {
  const dir = join(tmpdir(), `runbook-in-cluster-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...doc }), { mode: 0o600 });
  return file;
}

/** client-node's KubeConfig for it: `tokenFile` users read their (rotating) token at each request. */
export function toKubeConfig(loaded: LoadedKubeconfig): KubeConfig {
  const { KubeConfig } = require('@kubernetes/client-node') as typeof import('@kubernetes/client-node');
  const users = loaded.doc.users.map((u) => {
    const user = (u['user'] ?? {}) as Record<string, unknown>;
    if (typeof user['tokenFile'] !== 'string' || user['token']) return u;
    const { tokenFile, ...rest } = user;
    return { ...u, user: { ...rest, 'auth-provider': { name: 'tokenFile', config: { tokenFile } } } };
  });
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify({ ...loaded.doc, users, 'current-context': loaded.context }));
  return kc;
}
