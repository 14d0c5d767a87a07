/**
 * Errors of the KAPI client. Each class has a stable `code` and the context a user needs
 * (method, path, status, the server's own message), so callers never show a bare stack trace.
 */
import { CodedError } from '../coded-error';

export type KapiErrorCode =
  | 'KAPI_HTTP_ERROR'
  | 'KAPI_CONNECTION_ERROR'
  | 'KAPI_TIMEOUT'
  | 'KAPI_USAGE'
  | 'KAPI_NO_CREDENTIALS'
  | 'KAPI_TOKEN_CACHE_CORRUPT'
  | 'KAPI_TOKEN_CACHE_UNREADABLE';

export abstract class KapiError extends CodedError<KapiErrorCode> {}

/** How the server phrased its error: Kubernetes Status JSON, OAuth JSON, KAPI text/plain or other. */
export type ServerErrorForm = 'status' | 'oauth' | 'text' | 'json' | 'empty';

/** The server answered with a non-2xx status. */
export class HttpError extends KapiError {
  readonly code = 'KAPI_HTTP_ERROR' as const;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly serverMessage: string,
    readonly form: ServerErrorForm,
    /** Kubernetes Status `reason` or OAuth `error`, when the server gave one. */
    readonly reason: string | undefined,
    readonly body: string,
  ) {
    super(`${method} ${path} -> ${status}${reason ? ` ${reason}` : ''}: ${serverMessage}`);
  }
}

/** The host could not be reached (refused, reset, unknown name, TLS failure). */
export class ConnectionError extends KapiError {
  readonly code = 'KAPI_CONNECTION_ERROR' as const;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly host: string,
    /** The system or undici code, e.g. ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET. */
    readonly causeCode: string,
    detail: string,
    /** The TLS handshake failed: an untrusted certificate, not an unreachable host. */
    readonly tls = false,
    /** The socket or TLS error underneath. */
    cause?: unknown,
  ) {
    super(`cannot reach ${host} (${method} ${path}): ${detail}`, cause === undefined ? undefined : { cause });
  }
}

/** No answer within the timeout. */
export class TimeoutError extends KapiError {
  readonly code = 'KAPI_TIMEOUT' as const;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly host: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(
      `no answer from ${host} within ${timeoutMs / 1000} s (${method} ${path})`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Input the client can tell is wrong before sending anything. */
export class UsageError extends KapiError {
  readonly code = 'KAPI_USAGE' as const;
  constructor(
    message: string,
    /** The correct form, shown after the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** No token and no way to get one: the message names the missing variable or command. */
export class CredentialsError extends KapiError {
  readonly code = 'KAPI_NO_CREDENTIALS' as const;
}

export class TokenCacheError extends KapiError {
  constructor(
    readonly code: 'KAPI_TOKEN_CACHE_CORRUPT' | 'KAPI_TOKEN_CACHE_UNREADABLE',
    readonly file: string,
    readonly why: string,
  ) {
    super(
      `token cache ${file} is ${code === 'KAPI_TOKEN_CACHE_CORRUPT' ? 'corrupt' : 'unreadable'} (${why}); ` +
        'inspect it, then run `nodegroup-api clear-cache` and `nodegroup-api login`',
    );
  }
}

/** Read the server's message out of an error body, whichever form it takes. */
export function parseServerError(
  contentType: string,
  text: string,
): { message: string; form: ServerErrorForm; reason?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { message: '(empty response body)', form: 'empty' };
  if (contentType.includes('json') || trimmed.startsWith('{')) {
    try {
      const body = JSON.parse(trimmed) as Record<string, unknown>;
      if (body && body['kind'] === 'Status' && typeof body['message'] === 'string') {
        const reason = typeof body['reason'] === 'string' ? body['reason'] : undefined;
        return { message: body['message'], form: 'status', ...(reason ? { reason } : {}) };
      }
      if (body && typeof body['error'] === 'string') {
        const description = typeof body['error_description'] === 'string' ? body['error_description'] : '';
        return {
          message: description ? `${body['error']}: ${description}` : body['error'],
          form: 'oauth',
          reason: body['error'],
        };
      }
      if (body && typeof body['message'] === 'string') return { message: body['message'], form: 'json' };
    } catch {
      // not JSON after all: fall through to text
    }
  }
  const firstLines = trimmed.length > 500 ? `${trimmed.slice(0, 500)}...` : trimmed;
  return { message: firstLines, form: 'text' };
}

/** OpenSSL / Node codes of a certificate the client does not trust, or of no TLS at all. */
export const TLS_FAILURE_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);
