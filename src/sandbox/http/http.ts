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

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new StatusError(
      'RequestEntityTooLarge',
      `the request body is ${declared} bytes, over the limit of ${limit} bytes`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new StatusError('RequestEntityTooLarge', `the request body is over the limit of ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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
  try {
    return format === 'yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StatusError('BadRequest', `the request body is not valid ${format.toUpperCase()}: ${why}`);
  }
}

export function sendJSON(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: StatusError): void {
  sendJSON(res, err.code, err.toStatus());
}
