/**
 * Watch over HTTP: a chunked `application/json` stream of `{"type","object"}` lines, as the API
 * server sends it. Without a resourceVersion (or with "0") the current objects come first as
 * ADDED; with one, the store replays what happened after it. A version too old to resume from
 * is reported in-stream as an ERROR event carrying a 410 Status, as the API server does.
 * With `Accept: ...;as=Table`, every event's object is a one-row Table (`kubectl get -w`).
 */

import { queryBool, queryTimeoutSeconds, type RequestContext } from '../http/http';
import { servedAs } from '../store/kinds';
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';
import type { ListOptions, ObjectStore } from '../store/store';
import { mediaParams } from './discovery';
import { includeObjectOf, tableOf } from './tables';
import type { Target } from './target';

/** True when the first Accept entry the sandbox can serve is a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const option of accept.split(',')) {
    const p = mediaParams(option);
    if (p.type !== 'application/json' && p.type !== '*/*' && p.type !== 'application/*') continue;
    if (p.as === undefined) return false;
    if (p.as === 'Table' && p.g === 'meta.k8s.io') return true;
  }
  return false;
}

export function serveWatch(
  store: ObjectStore,
  ctx: RequestContext,
  target: Target,
  selection: ListOptions,
): void {
  const { res, query } = ctx;
  const { kind } = target;
  const options = { ...selection };
  if (target.name !== undefined) {
    const byName = `metadata.name=${target.name}`;
    options.fieldSelector = options.fieldSelector ? `${options.fieldSelector},${byName}` : byName;
  }
  const asTable = wantsTable(ctx.req.headers.accept);
  const include = includeObjectOf(query.get('includeObject'));
  const line = (type: string, stored: KubeObject): string => {
    const obj = servedAs(kind, stored);
    const object = asTable ? tableOf(kind.resource, [obj], obj.metadata.resourceVersion ?? '', include) : obj;
    return `${JSON.stringify({ type, object })}\n`;
  };

  const timeoutSeconds = queryTimeoutSeconds(query); // 400 before anything is written
  const from = query.get('resourceVersion') ?? '';
  const sendInitial = queryBool(query, 'sendInitialEvents') || from === '' || from === '0';
  // Everything below up to writeHead is synchronous, so no write can slip between the initial
  // list and the start of the watch; replayed events wait in `pending` until the headers are out.
  const initial = sendInitial ? store.list(kind.resource, options) : undefined; // throws 400 on a bad selector
  const pending: string[] = [];
  let streaming = false;
  let stop: () => void = () => {};
  try {
    stop = store.watch(kind.resource, { ...options, resourceVersion: sendInitial ? '' : from }, (event) => {
      const text = line(event.type, event.object);
      if (streaming) res.write(text);
      else pending.push(text);
    });
  } catch (err) {
    if (!(err instanceof StatusError) || err.code !== 410) throw err;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
    res.end(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
    return;
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  for (const obj of initial?.items ?? []) res.write(line('ADDED', obj));
  if (initial && queryBool(query, 'sendInitialEvents')) {
    const bookmark = {
      kind: kind.kind,
      apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
      metadata: {
        resourceVersion: initial.resourceVersion,
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    };
    res.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark })}\n`);
  }
  for (const text of pending) res.write(text);
  streaming = true;
  if (!initial?.items.length && !pending.length) res.flushHeaders();

  const timer = timeoutSeconds ? setTimeout(() => finish(), timeoutSeconds * 1000) : undefined;
  const finish = () => {
    stop();
    if (timer) clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  res.on('close', finish);
}
