/**
 * The sandbox's users, its OAuth token endpoint and its bearer-token check, after ks-apiserver
 * (pkg/kapis/oauth/handler.go and the Kubernetes authn/authz filters it reuses).
 *
 * - Two users: the admin (full access) and a read-only viewer (get/list/watch only).
 * - Tokens are JWT-shaped (HS256 with a random per-sandbox secret), typed access/refresh, and
 *   expire; `expireAll` (the token-expiry fault) expires every token issued so far.
 * - Failed password logins are counted per username; past the limit the endpoint answers 429.
 * Limits: tokens do not survive a restart (the secret is per process); refresh tokens are not
 * single-use; logging in again does not revoke earlier tokens. Nothing here logs a secret.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_ADMIN_USER,
  LOGIN_FAILURE_LIMIT,
  LOGIN_FAILURE_WINDOW_SECONDS,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  READONLY_USER,
  REFRESH_TOKEN_TTL_SECONDS,
} from '../../constants';
import {
  afterBody,
  contentTypeOf,
  queryBool,
  type RequestContext,
  readBody,
  type SandboxUser,
} from '../http/http';
import { qualifiedResource, StatusError } from '../store/status';

/** Lifetime of `issueToken` tokens (kubeconfig): a working day of interactive use. TODO: constants.ts. */
export const KUBECONFIG_TOKEN_TTL_SECONDS = 24 * 3600;
/** An OAuth form is a few hundred bytes; refuse anything far larger before parsing it. */
const OAUTH_BODY_LIMIT = 64 * 1024;
const FORM_TYPE = 'application/x-www-form-urlencoded';
const READ_VERBS = new Set(['get', 'list', 'watch']);

export interface Credentials {
  username: string;
  password: string;
}

export interface AuthenticatorOptions {
  adminPassword: string;
  /** Random per sandbox when omitted; read it back from `credentials`. */
  readonlyPassword?: string;
  /** Clock in milliseconds (tests move it instead of sleeping). */
  now?: () => number;
}

/** What a request touches, for authorization and for Kubernetes' Forbidden message. */
export type AccessTarget =
  | { resource: string; group: string; namespace?: string; name?: string; subresource?: string }
  | { path: string };

type TokenType = 'access_token' | 'refresh_token';

interface TokenClaims {
  iss: 'kubesphere';
  sub: string;
  username: string;
  token_type: TokenType;
  iat: number;
  exp: number;
  jti: string;
  /** Token generation: tokens of a generation before the current one are expired (expireAll). */
  gen: number;
}

interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  refresh_token: string;
  expires_in: number;
}

/** An OAuth error answer (RFC 6749 5.2): status, `error` code, description, extra headers. */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(description);
  }
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const digest = (text: string) => createHash('sha256').update(text).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

export class Authenticator {
  private readonly secret = randomBytes(32);
  private readonly now: () => number;
  private readonly users: Map<string, { password: string; readOnly: boolean }>;
  private readonly failures = new Map<string, number[]>();
  private generation = 0;
  /**
   * Claims of tokens whose signature already checked out: a token string never changes, so the
   * HMAC runs once per token, not once per request (about a tenth of a GET's cost). Expiry, the
   * user and the token-expiry generation are still checked on every use. Bounded by clearing.
   */
  private readonly signedClaims = new Map<string, TokenClaims>();

  constructor(options: AuthenticatorOptions) {
    if (!options.adminPassword) throw new Error('the sandbox admin password must not be empty');
    if (options.readonlyPassword === '') throw new Error('the read-only password must not be empty');
    this.now = options.now ?? Date.now;
    this.users = new Map([
      [DEFAULT_ADMIN_USER, { password: options.adminPassword, readOnly: false }],
      [
        READONLY_USER,
        { password: options.readonlyPassword ?? randomBytes(12).toString('base64url'), readOnly: true },
      ],
    ]);
  }

  /** Both logins, for the sandbox to print or write to its env file (never to a log). */
  get credentials(): { admin: Credentials; readonly: Credentials } {
    const login = (username: string) => ({ username, password: this.users.get(username)!.password });
    return { admin: login(DEFAULT_ADMIN_USER), readonly: login(READONLY_USER) };
  }

  /** `/oauth/token`: answers itself, always with an OAuth JSON body and `Cache-Control: no-store`. */
  async handleOAuth(ctx: RequestContext): Promise<void> {
    try {
      sendOAuth(ctx.res, 200, await this.grant(ctx));
    } catch (err) {
      if (err instanceof OAuthError) {
        sendOAuth(ctx.res, err.status, { error: err.error, error_description: err.message }, err.headers);
      } else if (err instanceof StatusError) {
        // readBody's size limit: keep the OAuth error shape.
        sendOAuth(ctx.res, err.code, { error: 'invalid_request', error_description: err.message });
      } else {
        throw err;
      }
    }
  }

  /** The user behind `Authorization: Bearer <access token>`; throws 403 (anonymous) or 401. */
  authenticate(ctx: RequestContext): SandboxUser {
    const header = ctx.req.headers.authorization?.trim();
    if (!header) {
      throw new StatusError(
        'Forbidden',
        `forbidden: User "system:anonymous" cannot ${ctx.method.toLowerCase()} path "${ctx.path}"`,
      );
    }
    const token = /^bearer\s+(\S+)$/i.exec(header)?.[1];
    const verified = token
      ? this.verify(token)
      : { ok: false as const, reason: 'only bearer tokens are accepted (Authorization: Bearer <token>)' };
    if (verified.ok && verified.claims.token_type === 'access_token') {
      const name = verified.claims.username;
      return { name, readOnly: this.users.get(name)!.readOnly };
    }
    const why = verified.ok ? 'a refresh token cannot be used as a bearer token' : verified.reason;
    // kube-apiserver says only "Unauthorized"; ks-apiserver passes the authenticator's reason on.
    throw new StatusError('Unauthorized', ctx.listener === 'kube-apiserver' ? 'Unauthorized' : why);
  }

  /** Throws Kubernetes' 403 when a read-only user attempts anything but get/list/watch. */
  authorize(user: SandboxUser, verb: string, target: AccessTarget): void {
    if (!user.readOnly || READ_VERBS.has(verb)) return;
    throw forbidden(user.name, verb, target);
  }

  /** `authorize` with the verb Kubernetes derives from the HTTP method (watch from `?watch=`). */
  authorizeRequest(user: SandboxUser, method: string, target: AccessTarget, query?: URLSearchParams): void {
    this.authorize(user, verbFor(method, target, query), target);
  }

  /** The token-expiry fault: every token issued until now is expired; later ones work. */
  expireAll(): void {
    this.generation++;
  }

  /** A long-lived access token for the kubeconfig (KUBECONFIG_TOKEN_TTL_SECONDS by default). */
  issueToken(username: string, ttlSeconds = KUBECONFIG_TOKEN_TTL_SECONDS): string {
    if (!this.users.has(username)) throw new Error(`no sandbox user named "${username}"`);
    return this.sign(username, 'access_token', ttlSeconds);
  }

  private async grant(ctx: RequestContext): Promise<TokenPair> {
    if (ctx.method !== 'POST') {
      throw new OAuthError(
        405,
        'invalid_request',
        `The token endpoint accepts only POST, not ${ctx.method}.`,
        {
          Allow: 'POST',
        },
      );
    }
    const type = contentTypeOf(ctx.req);
    if (type !== FORM_TYPE) {
      ctx.req.resume();
      throw new OAuthError(
        400,
        'invalid_request',
        `The request body must be ${FORM_TYPE}, not ${type || 'empty'}.`,
      );
    }
    const form = new URLSearchParams((await readBody(ctx.req, OAUTH_BODY_LIMIT)).toString('utf8'));
    const clientID = form.get('client_id');
    if (clientID !== OAUTH_CLIENT_ID) {
      throw new OAuthError(400, 'invalid_client', 'The provided client_id is invalid or does not exist.');
    }
    if (!sameSecret(form.get('client_secret') ?? '', OAUTH_CLIENT_SECRET)) {
      throw new OAuthError(401, 'unauthorized_client', 'Invalid client credential.');
    }
    const grantType = form.get('grant_type');
    if (grantType === 'password') return this.passwordGrant(form.get('username'), form.get('password'));
    if (grantType === 'refresh_token') return this.refreshGrant(form.get('refresh_token'));
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      `The provided grant_type ${grantType ? `"${grantType}" ` : ''}is not supported; use password or refresh_token.`,
    );
  }

  private passwordGrant(username: string | null, password: string | null): TokenPair {
    if (!username || !password) {
      throw new OAuthError(400, 'invalid_request', 'The username and password parameters are required.');
    }
    const key = username.slice(0, 256);
    const recent = this.recentFailures(key);
    if (recent.length >= LOGIN_FAILURE_LIMIT) {
      const retryAfter = Math.max(
        1,
        Math.ceil((recent[0]! + LOGIN_FAILURE_WINDOW_SECONDS * 1000 - this.now()) / 1000),
      );
      throw new OAuthError(
        429,
        'invalid_grant',
        `Rate limit exceeded: ${recent.length} failed logins for this user within ${LOGIN_FAILURE_WINDOW_SECONDS}s; retry after ${retryAfter}s.`,
        { 'Retry-After': String(retryAfter) },
      );
    }
    const user = this.users.get(username);
    if (!user || !sameSecret(password, user.password)) {
      this.failures.set(key, [...recent, this.now()]);
      throw new OAuthError(400, 'invalid_grant', 'Invalid username or password.');
    }
    this.failures.delete(key);
    return this.issuePair(username);
  }

  private refreshGrant(refreshToken: string | null): TokenPair {
    if (!refreshToken)
      throw new OAuthError(400, 'invalid_request', 'The refresh_token parameter is required.');
    const verified = this.verify(refreshToken);
    if (!verified.ok || verified.claims.token_type !== 'refresh_token') {
      throw new OAuthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    }
    return this.issuePair(verified.claims.username);
  }

  /** Failure times of a username inside the window; prunes stale entries of everyone as it goes. */
  private recentFailures(key: string): number[] {
    const since = this.now() - LOGIN_FAILURE_WINDOW_SECONDS * 1000;
    for (const [name, times] of this.failures) {
      const kept = times.filter((t) => t > since);
      if (kept.length === 0) this.failures.delete(name);
      else if (kept.length !== times.length) this.failures.set(name, kept);
    }
    return this.failures.get(key) ?? [];
  }

  private issuePair(username: string): TokenPair {
    return {
      access_token: this.sign(username, 'access_token', ACCESS_TOKEN_TTL_SECONDS),
      token_type: 'Bearer',
      refresh_token: this.sign(username, 'refresh_token', REFRESH_TOKEN_TTL_SECONDS),
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    };
  }

  private sign(username: string, tokenType: TokenType, ttlSeconds: number): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      iss: 'kubesphere',
      sub: username,
      username,
      token_type: tokenType,
      iat,
      exp: iat + ttlSeconds,
      jti: randomUUID(),
      gen: this.generation,
    };
    const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${unsigned}.${this.mac(unsigned).toString('base64url')}`;
  }

  private mac(text: string): Buffer {
    return createHmac('sha256', this.secret).update(text).digest();
  }

  private verify(token: string): { ok: true; claims: TokenClaims } | { ok: false; reason: string } {
    let claims = this.signedClaims.get(token);
    if (!claims) {
      const checked = this.checkSignature(token);
      if (!checked.ok) return checked;
      claims = checked.claims;
      if (this.signedClaims.size >= 10_000) this.signedClaims.clear();
      this.signedClaims.set(token, claims);
    }
    if (!this.users.has(claims.username)) return { ok: false, reason: `user "${claims.username}" not found` };
    if (Math.floor(this.now() / 1000) >= claims.exp || claims.gen < this.generation) {
      return { ok: false, reason: 'token is expired' };
    }
    return { ok: true, claims };
  }

  private checkSignature(token: string): { ok: true; claims: TokenClaims } | { ok: false; reason: string } {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
      return { ok: false, reason: 'token is malformed: not a signed JWT' };
    }
    const signature = Buffer.from(parts[2]!, 'base64url');
    const expected = this.mac(`${parts[0]}.${parts[1]}`);
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return { ok: false, reason: 'token signature is invalid' };
    }
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    return { ok: true, claims };
  }
}

function sendOAuth(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  afterBody(res, () => {
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      // RFC 6749 5.1: token responses must not be cached.
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    });
    res.end(text);
  });
}

/** Kubernetes' verb for a request (k8s.io/apiserver RequestInfo): non-resource paths use the method. */
export function verbFor(method: string, target: AccessTarget, query?: URLSearchParams): string {
  const m = method.toUpperCase();
  if ('path' in target) return m === 'HEAD' ? 'get' : m.toLowerCase();
  const named = Boolean(target.name);
  const watch = query ? queryBool(query, 'watch') : false;
  switch (m) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return m.toLowerCase();
  }
}

/** Kubernetes' Forbidden Status, worded as k8s.io/apiserver's responsewriters.Forbidden words it. */
export function forbidden(username: string, verb: string, target: AccessTarget): StatusError {
  if ('path' in target) {
    return new StatusError('Forbidden', `forbidden: User "${username}" cannot ${verb} path "${target.path}"`);
  }
  const resource = target.subresource ? `${target.resource}/${target.subresource}` : target.resource;
  const scope = target.namespace ? `in the namespace "${target.namespace}"` : 'at the cluster scope';
  const why = `User "${username}" cannot ${verb} resource "${resource}" in API group "${target.group}" ${scope}`;
  const subject = qualifiedResource(target.resource, target.group) + (target.name ? ` "${target.name}"` : '');
  return new StatusError('Forbidden', `${subject} is forbidden: ${why}`, {
    ...(target.name ? { name: target.name } : {}),
    group: target.group,
    kind: target.resource,
  });
}
