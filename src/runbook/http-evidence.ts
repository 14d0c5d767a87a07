/**
 * Records every HTTP exchange of a KAPI client as evidence, secrets removed at the source: the
 * Authorization header (already by the transport), the password and tokens of the OAuth form, the tokens of the OAuth answer,
 * secret-named fields of any JSON body and secrets in text bodies. The literal secrets seen on the
 * way (the password, the bearer token, issued tokens) go to the recorder too, which then scrubs
 * them from every later operation (kubectl output, objects) as well.
 * Fed by the Transport's exchange hook (`observe`), which redacts the Authorization header itself.
 */
import type { KapiClient } from '../kapi/client';
import { redactHeaders } from '../kapi/exchange';
import type { HttpRequest } from '../kapi/transport';
import type { HttpOperation } from './evidence';
import { REDACTED, Redactor } from './redact';

const SECRET_FORM_FIELDS = ['password', 'refresh_token', 'client_secret', 'access_token', 'token'];
/** Form fields whose values are this run's own secrets (not client_secret: OAuth clients' is public, e.g. "kubesphere"). */
const LITERAL_FORM_FIELDS = new Set(['password', 'refresh_token', 'access_token', 'token']);
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/** Receives the redacted exchange and the literal secrets it carried. */
export type ExchangeRecorder = (op: HttpOperation, secrets: string[]) => void;

const patterns = new Redactor();

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function requestBody(req: HttpRequest, secrets: string[]): unknown {
  if (req.headers['content-type']?.includes('x-www-form-urlencoded') && req.body) {
    const form = new URLSearchParams(req.body);
    for (const field of SECRET_FORM_FIELDS) {
      const value = form.get(field);
      if (value === null) continue;
      if (LITERAL_FORM_FIELDS.has(field)) secrets.push(value);
      form.set(field, REDACTED);
    }
    return form.toString();
  }
  return patterns.value(parseBody(req.body));
}

function responseBody(text: string, secrets: string[]): unknown {
  const body = parseBody(text);
  if (body && typeof body === 'object' && !Array.isArray(body))
    for (const field of TOKEN_FIELDS) {
      const value = (body as Record<string, unknown>)[field];
      if (typeof value === 'string') secrets.push(value);
    }
  return patterns.value(body);
}

/** The URL with credential-like query parameters (e.g. `access_token`) redacted. */
function redactUrl(url: string, secrets: string[]): string {
  if (!url.includes('?')) return url;
  const parsed = new URL(url);
  let changed = false;
  for (const [key, value] of parsed.searchParams)
    if (/token|password|secret/i.test(key)) {
      secrets.push(value);
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  return changed ? parsed.toString() : url;
}

/** Record every exchange of the client's Transport (its hook already redacts the Authorization header). */
export function recordExchanges(client: KapiClient, record: ExchangeRecorder): void {
  client.transport.observe((exchange) => {
    const secrets: string[] = [];
    const request = {
      method: exchange.request.method,
      url: redactUrl(exchange.url, secrets),
      headers: redactHeaders(exchange.request.headers),
      body: requestBody(exchange.request, secrets),
    };
    const durationMs = exchange.durationMs;
    record(
      exchange.response
        ? {
            kind: 'http',
            request,
            response: {
              status: exchange.response.status,
              body: responseBody(exchange.response.text, secrets),
            },
            durationMs,
          }
        : { kind: 'http', request, error: exchange.error?.message ?? 'unknown error', durationMs },
      secrets,
    );
  });
}
