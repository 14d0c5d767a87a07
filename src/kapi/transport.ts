/**
 * One HTTP exchange with ks-apiserver over undici: timeouts on every request and retries with
 * backoff only where repeating is safe (idempotent methods; connection refused/reset, 429 with
 * Retry-After, 502/503/504). POST and PATCH are never retried.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher, Agent as UndiciAgent } from 'undici';
import { ConnectionError, TimeoutError, TLS_FAILURE_CODES, UsageError } from './errors';
import {
  type ExchangeObserver,
  type HttpExchange,
  type HttpRequest,
  type HttpResponse,
  redactHeaders,
} from './exchange';

export type { HttpRequest, HttpResponse };

/** Typed events so callers decide how (and whether) to show them. */
export type TransportEvent =
  | { kind: 'request'; method: string; path: string }
  | { kind: 'retry'; method: string; path: string; attempt: number; delayMs: number; reason: string };

export interface TransportOptions {
  /** Base URL, e.g. http://ks-apiserver.kubesphere-system (validated by parseHost). */
  host: string;
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests only. */
  retries?: number;
  /** First backoff delay; doubles on each retry. */
  backoffMs?: number;
  /** Longest Retry-After honoured; a longer one fails at once instead of hanging. */
  maxRetryAfterMs?: number;
  insecure?: boolean;
  /** PEM CA bundle file for https (KUBESPHERE_CA_FILE). */
  caFile?: string;
  onEvent?: (event: TransportEvent) => void;
  /** Told of every exchange once it ends (see `Transport.observe` to add one later). */
  onExchange?: ExchangeObserver;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const RETRY_CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Validate a host URL: a scheme is required, http or https only. */
export function parseHost(host: string): URL {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    throw new UsageError(`host '${host}' has no scheme`, `use http://${host} or https://${host}`);
  }
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new UsageError(
      `host '${host}' is not a valid URL`,
      'use e.g. http://ks-apiserver.kubesphere-system',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`host '${host}' has scheme ${url.protocol} but only http: and https: are supported`);
  }
  if (url.username || url.password) throw new UsageError(`host '${url.host}' must not carry credentials`);
  return url;
}

/** Load only the undici parts used here: the full index costs ~100 ms more start-up. */
type RequestFn = (agent: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
function loadUndici(): { Agent: typeof UndiciAgent; request: RequestFn } {
  try {
    const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
    const apiRequest = require('undici/lib/api/api-request.js') as (
      this: Dispatcher,
      opts: Dispatcher.RequestOptions,
    ) => Promise<Dispatcher.ResponseData>;
    return { Agent, request: (agent, opts) => apiRequest.call(agent, opts) };
  } catch {
    const undici = require('undici') as typeof import('undici');
    return { Agent: undici.Agent, request: (agent, opts) => agent.request(opts) };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class Transport {
  readonly base: URL;
  readonly timeoutMs: number;
  private agent: UndiciAgent | undefined;
  private request: RequestFn | undefined;
  private readonly observers: ExchangeObserver[] = [];

  constructor(private readonly options: TransportOptions) {
    this.base = parseHost(options.host);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (options.onExchange) this.observers.push(options.onExchange);
  }

  /** Be told of every exchange from now on (evidence, logs); returns a function that stops it. */
  observe(observer: ExchangeObserver): () => void {
    this.observers.push(observer);
    return () => {
      const at = this.observers.indexOf(observer);
      if (at >= 0) this.observers.splice(at, 1);
    };
  }

  /** The absolute URL of a request path, keeping any base path of the host. */
  url(path: string): string {
    const basePath = this.base.pathname.replace(/\/+$/, '');
    return `${this.base.origin}${basePath}${path}`;
  }

  /** Send with retries where safe; observers hear of the outcome, whichever it is. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const tries = { count: 0 };
    if (this.observers.length === 0) return this.attempt(req, tries);
    const started = performance.now();
    const tell = (outcome: { response: HttpResponse } | { error: Error }) => {
      const exchange: HttpExchange = {
        request: { ...req, headers: redactHeaders(req.headers) },
        url: this.url(req.path),
        ...outcome,
        durationMs: performance.now() - started,
        attempts: tries.count,
      };
      for (const observer of [...this.observers]) observer(exchange);
    };
    let response: HttpResponse;
    try {
      response = await this.attempt(req, tries);
    } catch (err) {
      tell({ error: err as Error });
      throw err;
    }
    tell({ response });
    return response;
  }

  /** The request, retried where safe; `tries.count` says how many times it went out. */
  private async attempt(req: HttpRequest, tries: { count: number }): Promise<HttpResponse> {
    const retries = IDEMPOTENT.has(req.method) ? (this.options.retries ?? 2) : 0;
    let delay = this.options.backoffMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      tries.count = attempt + 1;
      this.options.onEvent?.({ kind: 'request', method: req.method, path: req.path });
      let reason: string;
      let wait = delay;
      try {
        const res = await this.once(req);
        if (!RETRY_STATUSES.has(res.status) || attempt >= retries) return res;
        reason = `${res.status}`;
        const after = retryAfterMs(res.headers['retry-after']);
        if (after !== undefined) {
          if (after > (this.options.maxRetryAfterMs ?? 10_000)) return res;
          wait = after;
        }
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (!RETRY_CONNECT_CODES.has(code) || attempt >= retries) throw this.wrap(err, req);
        reason = code;
      }
      this.options.onEvent?.({
        kind: 'retry',
        method: req.method,
        path: req.path,
        attempt: attempt + 1,
        delayMs: wait,
        reason,
      });
      await sleep(wait);
      delay *= 2;
    }
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    if (!this.agent || !this.request) {
      const undici = loadUndici();
      this.request = undici.request;
      this.agent = new undici.Agent({ connect: { timeout: this.timeoutMs, ...this.tlsOptions() } });
    }
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const res = await this.request(this.agent, {
      origin: this.base.origin,
      path: `${basePath}${req.path}`,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: res.statusCode, headers, text };
  }

  private tlsOptions(): { rejectUnauthorized?: boolean; ca?: string } {
    if (this.base.protocol !== 'https:') return {};
    if (this.options.insecure) return { rejectUnauthorized: false };
    if (!this.options.caFile) return {};
    let ca: string;
    try {
      ca = readFileSync(this.options.caFile, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new UsageError(
        `cannot read the CA file ${this.options.caFile} (${why})`,
        'set KUBESPHERE_CA_FILE to a readable PEM file, or pass --insecure',
      );
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new UsageError(
        `the CA file ${this.options.caFile} holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)`,
        'set KUBESPHERE_CA_FILE to the PEM file of the CA that signed the server certificate',
      );
    return { ca };
  }

  private wrap(err: unknown, req: HttpRequest): Error {
    if (err instanceof UsageError) return err;
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    const host = this.base.origin;
    if (TIMEOUT_CODES.has(code)) return new TimeoutError(req.method, req.path, host, this.timeoutMs, err);
    const detail = (err as Error).message || code;
    if (TLS_FAILURE_CODES.has(code) && this.base.protocol === 'https:')
      return new ConnectionError(
        req.method,
        req.path,
        host,
        code,
        `the TLS connection failed (${code}: ${detail})`,
        true,
        err,
      );
    return new ConnectionError(req.method, req.path, host, code, `${code}: ${detail}`, false, err);
  }
}
