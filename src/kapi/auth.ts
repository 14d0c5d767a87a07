/**
 * Where the bearer token comes from: `--token`, then KUBESPHERE_TOKEN, then the cache, then a
 * password grant when KUBESPHERE_USERNAME/KUBESPHERE_PASSWORD are set. A 401 triggers one fresh
 * login (never more) when credentials are known. The cache is bound to its host and user: a token
 * cached for another host is never sent, and explicit credentials of another user (or a cache
 * that does not say its user) win over it.
 */
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../constants';
import { CredentialsError, HttpError, parseServerError } from './errors';
import { cacheMismatch, readTokenCache, type SaveResult, writeTokenCache } from './token-cache';
import type { HttpRequest, Transport } from './transport';

export const OAUTH_TOKEN_PATH = '/oauth/token';

export interface Credentials {
  username: string;
  password: string;
}

export type TokenSource = 'flag' | 'env' | 'cache' | 'login';

export interface AuthOptions {
  /** The host the token is for: a cached token of another host is never used. */
  host?: string;
  /** `--token`. */
  token?: string;
  /** KUBESPHERE_TOKEN. */
  envToken?: string;
  /** The token cache file; undefined disables the cache. */
  cacheFile?: string;
  credentials?: Credentials;
  /** Told after a login saved the cache (e.g. to report a corrupt cache moved aside). */
  onSaved?: (result: SaveResult) => void;
}

export interface GrantedToken {
  accessToken: string;
  expiresIn?: number;
}

/** The password-grant request; `password` is the only secret in it. */
export function loginRequest(credentials: Credentials): HttpRequest {
  const form = new URLSearchParams({
    grant_type: 'password',
    username: credentials.username,
    password: credentials.password,
    client_id: OAUTH_CLIENT_ID,
    client_secret: OAUTH_CLIENT_SECRET,
  });
  return {
    method: 'POST',
    path: OAUTH_TOKEN_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  };
}

/** POST /oauth/token with the password grant. OAuth errors become HttpError with their message. */
export async function passwordGrant(transport: Transport, credentials: Credentials): Promise<GrantedToken> {
  const req = loginRequest(credentials);
  const res = await transport.send(req);
  const contentType = res.headers['content-type'] ?? '';
  if (res.status < 200 || res.status >= 300) {
    const parsed = parseServerError(contentType, res.text);
    throw new HttpError(
      req.method,
      req.path,
      res.status,
      parsed.message,
      parsed.form,
      parsed.reason,
      res.text,
    );
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new HttpError(
      req.method,
      req.path,
      res.status,
      'the token response is not JSON',
      'text',
      undefined,
      '',
    );
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new HttpError(
      req.method,
      req.path,
      res.status,
      'the token response has no access_token',
      'json',
      undefined,
      '',
    );
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return { accessToken: body.access_token, ...(expiresIn ? { expiresIn } : {}) };
}

export const MISSING_CREDENTIALS =
  'no KubeSphere token: pass --token, set KUBESPHERE_TOKEN, run `nodegroup-api login`, ' +
  'or set KUBESPHERE_USERNAME and KUBESPHERE_PASSWORD';

export class TokenProvider {
  private token: { value: string; source: TokenSource } | undefined;
  private reloggedIn = false;
  /** Why the cached token was not used (for messages); undefined when it was, or there was none. */
  cacheSkipped: string | undefined;

  constructor(private readonly options: AuthOptions) {}

  get canLogin(): boolean {
    return this.options.credentials !== undefined;
  }

  /** The token known without the network (flag, env, cache), with its source. */
  known(): { value: string; source: TokenSource } | undefined {
    if (this.token) return this.token;
    if (this.options.token) this.token = { value: this.options.token, source: 'flag' };
    else if (this.options.envToken) this.token = { value: this.options.envToken, source: 'env' };
    else if (this.options.cacheFile) {
      const cached = readTokenCache(this.options.cacheFile);
      if (cached) {
        const why = this.options.host
          ? cacheMismatch(cached, {
              host: this.options.host,
              ...(this.options.credentials ? { user: this.options.credentials.username } : {}),
            })
          : 'no host to check it against';
        if (why) this.cacheSkipped = `the cached token in ${this.options.cacheFile} is not used: ${why}`;
        else this.token = { value: cached.token, source: 'cache' };
      }
    }
    return this.token;
  }

  /** A token to send: a known one, or a fresh login with the configured credentials. */
  async get(transport: Transport): Promise<string> {
    const known = this.known();
    if (known) return known.value;
    if (!this.options.credentials)
      throw new CredentialsError(
        this.cacheSkipped ? `${MISSING_CREDENTIALS} (${this.cacheSkipped})` : MISSING_CREDENTIALS,
      );
    return this.login(transport);
  }

  /** After a 401: one fresh login, if credentials are set and it was not done yet. */
  async relogin(transport: Transport): Promise<string | undefined> {
    if (!this.options.credentials || this.reloggedIn) return undefined;
    this.reloggedIn = true;
    return this.login(transport);
  }

  private async login(transport: Transport): Promise<string> {
    const credentials = this.options.credentials!;
    const granted = await passwordGrant(transport, credentials);
    if (this.options.cacheFile) {
      // Saved before telling: `onSaved?.(write(...))` would skip the write when onSaved is unset.
      const saved = writeTokenCache(
        this.options.cacheFile,
        granted.accessToken,
        granted.expiresIn,
        undefined,
        this.options.host ? { host: this.options.host, user: credentials.username } : undefined,
      );
      this.options.onSaved?.(saved);
    }
    this.token = { value: granted.accessToken, source: 'login' };
    return granted.accessToken;
  }
}
