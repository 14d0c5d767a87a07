/**
 * One environment file, `environments/<name>.yaml`: where a target is and how to reach it, never a
 * secret. Parsed with line numbers (a syntax error names file:line:column, never the file's text)
 * and checked key by key: an unknown key, a wrong type and an inline password or token are refused.
 */

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV } from '../kapi/env';
import { type ClusterChoice, parseClusterChoice } from './clusters';
import { EnvironmentError } from './errors';

/** Where the credentials come from: names of environment variables, or a file (0600) holding them. */
export interface CredentialSource {
  usernameEnv: string;
  passwordEnv: string;
  tokenEnv: string;
  /** A YAML/JSON file `{username, password}` or `{token}`, readable by its owner only. */
  file?: string;
}

export interface Environment {
  name: string;
  kind: 'sandbox' | 'live';
  /** The file it was read from (none for the built-in sandbox). */
  file?: string;
  description?: string;
  /** ks-apiserver URL. */
  host?: string;
  caFile?: string;
  /** Member cluster (KubeSphere multi-cluster); requests go through /clusters/<name>. */
  cluster?: string;
  /** A fleet: the member clusters a run goes over (`all`, or names); --clusters wins over it. */
  clusters?: ClusterChoice;
  /** kubeconfig file, or several joined with the path delimiter (merged as kubectl merges them). */
  kubeconfig?: string;
  context?: string;
  /** The runbooks' ${VAR} values. */
  vars: Record<string, string>;
  /** Production-like: destructive steps need the explicit opt-in (see guardrails). */
  protected: boolean;
  credentials: CredentialSource;
}

export const DEFAULT_CREDENTIALS: CredentialSource = {
  usernameEnv: USERNAME_ENV,
  passwordEnv: PASSWORD_ENV,
  tokenEnv: TOKEN_ENV,
};

const KEYS = [
  'description',
  'host',
  'caFile',
  'cluster',
  'clusters',
  'kubeconfig',
  'context',
  'vars',
  'protected',
  'credentials',
];
const CREDENTIAL_KEYS = ['username', 'password', 'token', 'file'];
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'token',
  'secret',
  'apikey',
  'credential',
]);
/** A name that says it holds a secret: `password`, `clientSecret`, `API_TOKEN`, `apiKey` ... */
const SECRET_WORD = {
  test: (name: string) =>
    name
      .replace(/api[-_]?key/gi, 'apikey')
      .split(/[-_.]|(?<=[a-z])(?=[A-Z])/)
      .some((w) => SECRET_WORDS.has(w.toLowerCase())),
};
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

type Raw = Record<string, unknown>;

const fail = (file: string, what: string) => new EnvironmentError('ENV_INVALID', `${file}: ${what}`);
const inlineSecret = (file: string, where: string, fix: string) =>
  new EnvironmentError(
    'ENV_INLINE_SECRET',
    `${file}: ${where} holds a secret value; an environment file must never hold one (it is read, ` +
      `shown and committed). ${fix}`,
  );

/** Parse the text of an environment file; `file` names it in every message. */
export function parseEnvironment(name: string, file: string, text: string): Environment {
  // yaml is loaded here only: a command that never reads an environment file does not pay for it.
  const { isMap, parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const why = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new EnvironmentError(
      'ENV_SYNTAX',
      `${file}:${pos ? `${pos.line}:${pos.col}` : '?'}: not valid YAML: ${why}`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents))
    throw fail(file, 'must be a YAML mapping of keys (host, kubeconfig, context, vars, ...)');
  const raw = (doc.toJS() ?? {}) as Raw;
  const base = dirname(resolve(file));
  for (const key of Object.keys(raw)) {
    if (KEYS.includes(key)) continue;
    if (SECRET_WORD.test(key))
      throw inlineSecret(
        file,
        `the key "${key}"`,
        'Name the environment variable under credentials instead.',
      );
    throw fail(file, `unknown key "${key}"; known keys: ${KEYS.join(', ')}`);
  }
  const env: Environment = {
    name,
    kind: 'live',
    file,
    vars: vars(file, raw['vars']),
    protected: bool(file, raw, 'protected') ?? false,
    credentials: credentials(file, base, raw['credentials']),
  };
  const description = str(file, raw, 'description');
  if (description) env.description = description;
  const host = str(file, raw, 'host');
  if (!host) throw fail(file, 'has no "host": the KubeSphere URL, e.g. host: https://kubesphere.example.com');
  env.host = checkHost(file, host);
  const caFile = str(file, raw, 'caFile');
  if (caFile) env.caFile = path(base, caFile);
  const cluster = str(file, raw, 'cluster');
  if (cluster) env.cluster = cluster;
  if (raw['clusters'] !== undefined && raw['clusters'] !== null)
    env.clusters = parseClusterChoice(raw['clusters'], `${file}: "clusters"`);
  const context = str(file, raw, 'context');
  if (context) env.context = context;
  const kubeconfig = raw['kubeconfig'];
  if (kubeconfig !== undefined) env.kubeconfig = kubeconfigPaths(file, base, kubeconfig);
  return env;
}

/** Read and parse an environment file. */
export function readEnvironment(name: string, file: string): Environment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EnvironmentError(
      'ENV_INVALID',
      `cannot read the environment file ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  return parseEnvironment(name, file, text);
}

/** `~/x` and paths relative to the environment file's folder, as absolute paths. */
export function path(base: string, value: string): string {
  if (value === '~' || value.startsWith('~/')) return resolve(homedir(), value.slice(2));
  return isAbsolute(value) ? value : resolve(base, value);
}

function str(file: string, raw: Raw, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw fail(file, `"${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function bool(file: string, raw: Raw, key: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw fail(file, `"${key}" must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function checkHost(file: string, host: string): string {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw fail(file, `"host" is not a URL: ${JSON.stringify(host)}; e.g. https://kubesphere.example.com`);
  }
  if (url.password || url.username)
    throw inlineSecret(file, '"host" (user:password@ in the URL)', 'Write the URL without them.');
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw fail(file, `"host" must be an http or https URL, got ${url.protocol}`);
  return host.replace(/\/+$/, '');
}

function vars(file: string, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw fail(file, '"vars" must be a mapping of names to values, e.g. vars: { NODE: worker-3 }');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw fail(file, `"vars.${name}" is not a variable name (letters, digits, _)`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw fail(file, `"vars.${name}" must be a string, got ${JSON.stringify(v)}`);
    if (SECRET_WORD.test(name) || (typeof v === 'string' && JWT.test(v)))
      throw inlineSecret(file, `"vars.${name}"`, 'Runbook variables are names, not credentials.');
    out[name] = String(v);
  }
  return out;
}

function credentials(file: string, base: string, value: unknown): CredentialSource {
  if (value === undefined || value === null) return { ...DEFAULT_CREDENTIALS };
  if (typeof value === 'string') return { ...DEFAULT_CREDENTIALS, file: path(base, value) };
  if (typeof value !== 'object' || Array.isArray(value))
    throw fail(file, '"credentials" must be a file path or a mapping of environment variable names');
  const raw = value as Raw;
  const out: CredentialSource = { ...DEFAULT_CREDENTIALS };
  for (const [key, v] of Object.entries(raw)) {
    if (!CREDENTIAL_KEYS.includes(key)) {
      if (SECRET_WORD.test(key)) throw inlineSecret(file, `"credentials.${key}"`, namesHint);
      throw fail(file, `unknown key "credentials.${key}"; known keys: ${CREDENTIAL_KEYS.join(', ')}`);
    }
    if (typeof v !== 'string' || v === '')
      throw fail(file, `"credentials.${key}" must be a non-empty string`);
    if (key === 'file') {
      out.file = path(base, v);
      continue;
    }
    if (!ENV_NAME.test(v)) {
      if (key === 'username')
        throw fail(
          file,
          `"credentials.username" names an environment variable (e.g. ${USERNAME_ENV}), got ${JSON.stringify(v)}`,
        );
      throw inlineSecret(file, `"credentials.${key}"`, namesHint);
    }
    if (key === 'username') out.usernameEnv = v;
    else if (key === 'password') out.passwordEnv = v;
    else out.tokenEnv = v;
  }
  return out;
}

const namesHint =
  `Under credentials, give the NAME of an environment variable (e.g. password: ${PASSWORD_ENV}) ` +
  'or a file path (credentials: ~/.config/kubesphere/prod.yaml, mode 0600).';

function kubeconfigPaths(file: string, base: string, value: unknown): string {
  const list = typeof value === 'string' ? value.split(delimiter) : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((p) => typeof p !== 'string' || p === ''))
    throw fail(file, '"kubeconfig" must be a path or a list of paths (merged as kubectl merges KUBECONFIG)');
  return (list as string[]).map((p) => path(base, p)).join(delimiter);
}
