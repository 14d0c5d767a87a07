/**
 * The guide helper's token cache, `~/.kubesphere_token`: JSON {"token","expires_at","saved_at"}
 * (epoch seconds) plus "host" and "user", the KubeSphere and the user the token was issued for
 * (the guide's helper reads the first three and ignores the rest). Written atomically (temp file +
 * rename) with mode 0600. An expired cache is ignored; a corrupt one is reported, never
 * overwritten silently. A token is only ever sent to the host it was issued by (`cacheMatches`).
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import { TOKEN_CACHE_DEFAULT_TTL_SECONDS, TOKEN_CACHE_FILE } from '../constants';
import { TokenCacheError } from './errors';

export interface CachedToken {
  token: string;
  /** Epoch seconds. */
  expires_at: number;
  saved_at: number;
  /** The KubeSphere URL that issued it; absent in a cache written by the guide's helper. */
  host?: string;
  /** The user it was issued to. */
  user?: string;
}

/** Who a token is for: the host it may be sent to, and the user it was issued to. */
export interface TokenBinding {
  host: string;
  user?: string;
}

/** A host as compared: scheme, host name, port (default ports dropped) and path, case-folded. */
export function normalHost(host: string): string {
  try {
    const url = new URL(host);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return host.replace(/\/+$/, '').toLowerCase();
  }
}

/** Why a cached token may not be used for this host and user; undefined when it may. */
export function cacheMismatch(
  cached: CachedToken,
  want: { host: string; user?: string },
): string | undefined {
  if (!cached.host) return 'it does not say which host issued it (run `nodegroup-api login` again)';
  if (normalHost(cached.host) !== normalHost(want.host)) return `it was issued by ${cached.host}`;
  if (want.user !== undefined && cached.user !== undefined && cached.user !== want.user)
    return `it was issued to ${cached.user}, not ${want.user}`;
  if (want.user !== undefined && cached.user === undefined)
    return 'it does not say which user it was issued to';
  return undefined;
}

/** `$HOME/.kubesphere_token`; HOME decides, so tests point it at a temporary folder. */
export function tokenCachePath(home: string = homedir()): string {
  return join(home, TOKEN_CACHE_FILE);
}

const nowSeconds = () => Date.now() / 1000;

function asEpochSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Parse a cache file's text; throws TokenCacheError naming what is wrong. */
export function parseTokenCache(file: string, text: string): CachedToken {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new TokenCacheError('KAPI_TOKEN_CACHE_CORRUPT', file, 'not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenCacheError('KAPI_TOKEN_CACHE_CORRUPT', file, 'not a JSON object');
  }
  const record = body as Record<string, unknown>;
  if (typeof record['token'] !== 'string' || record['token'] === '') {
    throw new TokenCacheError('KAPI_TOKEN_CACHE_CORRUPT', file, 'no "token" string');
  }
  const expiresAt = asEpochSeconds(record['expires_at']);
  if (expiresAt === undefined) {
    throw new TokenCacheError('KAPI_TOKEN_CACHE_CORRUPT', file, '"expires_at" is not a number of seconds');
  }
  const cached: CachedToken = {
    token: record['token'],
    expires_at: expiresAt,
    saved_at: asEpochSeconds(record['saved_at']) ?? 0,
  };
  if (typeof record['host'] === 'string' && record['host']) cached.host = record['host'];
  if (typeof record['user'] === 'string' && record['user']) cached.user = record['user'];
  return cached;
}

/** The cached token if present and unexpired; undefined when absent or expired. */
export function readTokenCache(file: string, now = nowSeconds()): CachedToken | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new TokenCacheError('KAPI_TOKEN_CACHE_UNREADABLE', file, code ?? String(err));
  }
  const cached = parseTokenCache(file, text);
  return cached.expires_at > now ? cached : undefined;
}

export interface SaveResult {
  file: string;
  cached: CachedToken;
  /** Where a corrupt previous cache was moved, so the caller can say so. */
  movedCorruptTo?: string;
}

/** Save a token atomically with mode 0600; a corrupt previous cache is moved aside, not lost. */
export function writeTokenCache(
  file: string,
  token: string,
  expiresInSeconds: number | undefined,
  now = nowSeconds(),
  binding?: TokenBinding,
): SaveResult {
  let movedCorruptTo: string | undefined;
  try {
    readTokenCache(file, now);
  } catch (err) {
    if (!(err instanceof TokenCacheError) || err.code !== 'KAPI_TOKEN_CACHE_CORRUPT') throw err;
    movedCorruptTo = `${file}.corrupt-${Math.floor(now)}`;
    renameSync(file, movedCorruptTo);
  }
  const ttl = expiresInSeconds && expiresInSeconds > 0 ? expiresInSeconds : TOKEN_CACHE_DEFAULT_TTL_SECONDS;
  const cached: CachedToken = {
    token,
    expires_at: Math.floor(now + ttl),
    saved_at: Math.floor(now),
    ...(binding ? { host: binding.host } : {}),
    ...(binding?.user ? { user: binding.user } : {}),
  };
  writeFileAtomic(file, JSON.stringify(cached), { mode: 0o600 });
  return { file, cached, ...(movedCorruptTo ? { movedCorruptTo } : {}) };
}

/** Remove the cache; true when there was one. */
export function clearTokenCache(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
