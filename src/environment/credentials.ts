/**
 * The credentials of an environment, from where its file says they are: environment variables
 * (KUBESPHERE_USERNAME / KUBESPHERE_PASSWORD / KUBESPHERE_TOKEN unless renamed) or a file only its
 * owner can read. They stay in the process: messages name where they came from, never a value.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Credentials } from '../kapi/auth';
import { EnvironmentError } from './errors';
import type { CredentialSource } from './file';

type Env = Readonly<Record<string, string | undefined>>;

export interface ResolvedCredentials {
  credentials?: Credentials;
  token?: string;
  /** Where they came from, for messages and the report (no value). */
  from: string;
}

export function resolveCredentials(source: CredentialSource, env: Env): ResolvedCredentials {
  if (source.file) return fromFile(source.file);
  const username = env[source.usernameEnv];
  const password = env[source.passwordEnv];
  const token = env[source.tokenEnv];
  return {
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(token ? { token } : {}),
    from: `${source.usernameEnv}/${source.passwordEnv} or ${source.tokenEnv}`,
  };
}

function fromFile(file: string): ResolvedCredentials {
  const bad = (why: string) => new EnvironmentError('ENV_CREDENTIALS', `the credentials file ${file} ${why}`);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw bad(`cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw bad(`is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}`);
  let body: unknown;
  try {
    const { parse } = require('yaml') as typeof import('yaml');
    body = parse(readFileSync(file, 'utf8'));
  } catch {
    // The parser's message quotes the text: a password would be in it.
    throw bad('is not valid YAML or JSON; write username: and password:, or token:');
  }
  const raw = (body ?? {}) as Record<string, unknown>;
  const text = (key: string) =>
    typeof raw[key] === 'string' && raw[key] !== '' ? (raw[key] as string) : undefined;
  const username = text('username');
  const password = text('password');
  const token = text('token');
  if (!token && !(username && password)) throw bad('holds neither a token nor a username and a password');
  return {
    ...(username && password ? { credentials: { username, password } } : {}),
    ...(token ? { token } : {}),
    from: `the file ${file}`,
  };
}
