/**
 * The KAPI client: builds requests (JSON in, JSON out), adds the bearer token, turns non-2xx
 * answers into HttpError with the server's message, and retries once after a 401 re-login.
 */
import { type AuthOptions, TokenProvider } from './auth';
import { HttpError, parseServerError } from './errors';
import { type HttpRequest, Transport, type TransportOptions } from './transport';

export type Query = Record<string, string | number | boolean | undefined>;

/** A request as the operations describe it, before headers and token. */
export interface KapiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  /** A JSON value, serialised as is. */
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

export type ClientOptions = TransportOptions &
  AuthOptions & {
    /** A member cluster: nodegroup KAPI and Kubernetes paths go through the host's dispatcher. */
    cluster?: string;
  };

/**
 * A host path scoped to a member cluster: `/kapis/infra...` -> `/kapis/clusters/{c}/infra...`,
 * `/api...`, `/apis...` -> `/clusters/{c}/api...`; other paths (OAuth, IAM, already scoped) stay.
 */
export function scopePath(path: string, cluster: string | undefined): string {
  if (!cluster) return path;
  const c = encodeURIComponent(cluster);
  if (path.startsWith('/kapis/infra.kubesphere.io/')) return `/kapis/clusters/${c}${path.slice(6)}`;
  if (/^\/apis?(\/|\?|$)/.test(path)) return `/clusters/${c}${path}`;
  return path;
}

export class KapiClient {
  readonly transport: Transport;
  readonly auth: TokenProvider;
  readonly cluster?: string;

  constructor(options: ClientOptions) {
    if (options.cluster) this.cluster = options.cluster;
    this.transport = new Transport(options);
    this.auth = new TokenProvider(options);
  }

  /** The exact HTTP request that would be sent with this token. */
  prepare(req: KapiRequest, token: string | undefined): HttpRequest {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const path = withQuery(scopePath(req.path, this.cluster), req.query);
    const prepared: HttpRequest = { method: req.method, path, headers };
    if (req.body !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      prepared.body = JSON.stringify(req.body);
    }
    return prepared;
  }

  /** Send and return the parsed JSON body (or the text when the server sent no JSON). */
  async call<T = unknown>(req: KapiRequest): Promise<T> {
    let token = await this.auth.get(this.transport);
    let res = await this.transport.send(this.prepare(req, token));
    if (res.status === 401) {
      const fresh = await this.auth.relogin(this.transport);
      if (fresh !== undefined) {
        token = fresh;
        // A 401 is refused before any handler runs, so repeating even a POST is safe.
        res = await this.transport.send(this.prepare(req, token));
      }
    }
    const contentType = res.headers['content-type'] ?? '';
    const path = withQuery(scopePath(req.path, this.cluster), req.query);
    if (res.status < 200 || res.status >= 300) {
      const parsed = parseServerError(contentType, res.text);
      throw new HttpError(req.method, path, res.status, parsed.message, parsed.form, parsed.reason, res.text);
    }
    if (res.text.trim() === '') return undefined as T;
    try {
      return JSON.parse(res.text) as T;
    } catch {
      return res.text as T;
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
