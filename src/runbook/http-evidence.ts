/**
 * Records every HTTP exchange of a KAPI client as evidence, secrets removed: the Authorization
 * header, the password and tokens of the OAuth form, and the tokens of the OAuth answer.
 * (It wraps the client's own Transport instance; a hook on Transport would be cleaner.)
 */
import type { KapiClient } from '../kapi/client';
import type { HttpRequest } from '../kapi/transport';
import { type HttpOperation, redactHeaders } from './evidence';

const SECRET_FORM_FIELDS = ['password', 'refresh_token', 'client_secret'];
const SECRET_BODY_FIELDS = ['access_token', 'refresh_token'];

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function requestBody(req: HttpRequest): unknown {
  if (req.headers['content-type']?.includes('x-www-form-urlencoded') && req.body) {
    const form = new URLSearchParams(req.body);
    for (const field of SECRET_FORM_FIELDS) if (form.has(field)) form.set(field, '<redacted>');
    return form.toString();
  }
  return parseBody(req.body);
}

function responseBody(text: string): unknown {
  const body = parseBody(text);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const copy = { ...(body as Record<string, unknown>) };
    for (const field of SECRET_BODY_FIELDS) if (field in copy) copy[field] = '<redacted>';
    return copy;
  }
  return body;
}

export function recordExchanges(client: KapiClient, record: (op: HttpOperation) => void): void {
  const transport = client.transport;
  const send = transport.send.bind(transport);
  transport.send = async (req: HttpRequest) => {
    const started = performance.now();
    const request = {
      method: req.method,
      url: transport.url(req.path),
      headers: redactHeaders(req.headers),
      body: requestBody(req),
    };
    try {
      const res = await send(req);
      record({
        kind: 'http',
        request,
        response: { status: res.status, body: responseBody(res.text) },
        durationMs: performance.now() - started,
      });
      return res;
    } catch (err) {
      record({
        kind: 'http',
        request,
        error: (err as Error).message,
        durationMs: performance.now() - started,
      });
      throw err;
    }
  };
}
