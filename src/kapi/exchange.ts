/**
 * What an observer of the Transport sees of each exchange (evidence, logs): credentials in the
 * headers already replaced, so no observer can leak them by accident.
 */

/** One request as the Transport sends it. */
export interface HttpRequest {
  method: string;
  /** Path with query string, relative to the host (it may carry a base path). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The answer, whatever its status. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * One request and its outcome, as an observer sees it: the Authorization and Cookie headers are
 * already redacted, retries are folded in (the final answer or error; `attempts` counts them).
 * Bodies are as sent and received: the OAuth form carries the password and its answer a token,
 * so an observer that keeps bodies redacts them (src/runbook/http-evidence.ts does).
 */
export interface HttpExchange {
  request: HttpRequest;
  /** The absolute URL the request went to. */
  url: string;
  response?: HttpResponse;
  /** The error `send` threw (ConnectionError, TimeoutError, UsageError). */
  error?: Error;
  durationMs: number;
  attempts: number;
}

export type ExchangeObserver = (exchange: HttpExchange) => void;

export const REDACTED = '<redacted>';
/** Headers that carry credentials, in either direction. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/** Headers safe to show or store: credentials replaced by `<redacted>`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}
