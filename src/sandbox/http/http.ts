/**
 * What every sandbox handler gets and the few ways it answers. Handlers throw StatusError;
 * the router renders it (as a Kubernetes Status, or as text/plain on KAPI routes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { StatusError } from '../store/status';

/** Bodies above this are refused with 413 (kube-apiserver's limit is 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface SandboxUser {
  name: string;
  readOnly: boolean;
}

export type Listener = 'ks-apiserver' | 'kube-apiserver';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded path without the query string. */
  path: string;
  query: URLSearchParams;
  listener: Listener;
  /** Set by the router once the bearer token is checked; undefined on public routes. */
  user?: SandboxUser;
}

/**
 * The body, up to `limit` bytes; over it -> 413. The rest of an oversize body is read and dropped
 * (never a reset: the client gets its 413 whether it declared a length or sent chunks).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(
      new StatusError(
        'RequestEntityTooLarge',
        `the request body is ${declared} bytes, over the limit of ${limit} bytes`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(
          new StatusError('RequestEntityTooLarge', `the request body is over the limit of ${limit} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
  });
}

/** Nesting deeper than this is refused (kube-apiserver refuses deep JSON too; it never overflows). */
export const MAX_BODY_DEPTH = 100;

/** How deep a parsed value nests, counted without recursion; stops once past `max`. */
export function depthOf(value: unknown, max = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > max) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A boolean query parameter as the apiserver reads it: absent, empty, `0` and `false` (any case)
 * are false; any other value is true (`watch=True`, `watch=yes`).
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Node's timers hold at most 2^31-1 ms; a longer timeout is as good as none. */
const MAX_TIMER_SECONDS = Math.floor(2_147_483_647 / 1000);

/** `timeoutSeconds` as the apiserver takes it: an integer >= 0, else 400. Undefined when absent. */
export function queryTimeoutSeconds(query: URLSearchParams): number | undefined {
  const raw = query.get('timeoutSeconds');
  if (raw === null || raw === '') return undefined;
  if (!/^\+?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new StatusError(
      'BadRequest',
      `invalid value for timeoutSeconds: ${JSON.stringify(raw)}: must be a whole number of seconds (0 or more)`,
    );
  return Math.min(Number(raw), MAX_TIMER_SECONDS);
}

/** Media type of the request body without parameters, lower-cased ('' when absent). */
export const contentTypeOf = (req: IncomingMessage): string =>
  (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Read an object body: JSON, or YAML when the content type says so. Malformed -> 400,
 * unsupported media type -> 415, not an object -> 400.
 */
export async function readObjectBody(
  req: IncomingMessage,
  accepted = ['application/json', 'application/yaml'],
): Promise<unknown> {
  const type = contentTypeOf(req);
  if (type && !accepted.includes(type)) {
    throw new StatusError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
  const text = (await readBody(req)).toString('utf8');
  if (text.trim() === '')
    throw new StatusError('BadRequest', 'the request body is empty; send a JSON object');
  return parseBodyText(text, type === 'application/yaml' ? 'yaml' : 'json');
}

/** "an array", "null", "a string", "an object", ... for messages that say what was sent instead. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

export function parseBodyText(text: string, format: 'json' | 'yaml'): unknown {
  let value: unknown;
  try {
    value = format === 'yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StatusError('BadRequest', `the request body is not valid ${format.toUpperCase()}: ${why}`);
  }
  if (depthOf(value) > MAX_BODY_DEPTH)
    throw new StatusError(
      'BadRequest',
      `the request body nests more than ${MAX_BODY_DEPTH} levels deep; no Kubernetes object does: send a flatter body`,
    );
  return value;
}

/**
 * Answer once the request body is read to its end. A request refused before its body was read
 * (403, 404, 413 ...) would otherwise leave bytes on a kept-alive connection, and the client's
 * next request on it would meet a closed socket.
 */
export function afterBody(res: ServerResponse, answer: () => void): void {
  const req = res.req as IncomingMessage | undefined;
  if (!req || req.readableEnded || req.complete) {
    answer();
    return;
  }
  req.once('end', answer);
  req.once('error', () => res.destroy());
  req.resume();
}

export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  afterBody(res, () => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  afterBody(res, () => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  });
}

export function sendStatus(res: ServerResponse, err: StatusError): void {
  sendJSON(res, err.code, err.toStatus());
}
