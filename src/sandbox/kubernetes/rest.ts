/**
 * The generic Kubernetes REST layer: one handler for every kind in KINDS under /api and /apis.
 * URL -> (kind, namespace, name, subresource) -> verb; the store does the rest. Errors are thrown
 * as StatusError and rendered by the router.
 * Limits: no dryRun (refused with 400 rather than silently written), no server-side apply,
 * protobuf only for the request bodies kubectl's typed generators send (answers are JSON),
 * `limit`/`continue` ignored (lists are complete), /status is the object itself.
 */

import {
  contentTypeOf,
  describeValue,
  parseBodyText,
  queryBool,
  type RequestContext,
  readBody,
  readObjectBody,
  sendJSON,
} from '../http/http';
import { apiVersionOf, isStorageVersion, servedAs } from '../store/kinds';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  hasGroup,
  hasGroupVersion,
  openApiV3GroupVersion,
  openApiV3Root,
  preferredDiscovery,
} from './discovery';
import { resolveTarget, type Target } from './target';
import { serveWatch, wantsTable } from './watch';

export { resolveTarget, type Target } from './target';

import { applyPatchText, patchTypeOf } from '../http/patch';
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';
import type { ObjectStore } from '../store/store';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf';
import { serveScale } from './scale';
import { includeObjectOf, tableOf } from './tables';

export const resourceNotFound = () =>
  new StatusError('NotFound', 'the server could not find the requested resource');

const methodNotAllowed = (method: string, path: string) =>
  new StatusError(
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${path})`,
  );

export function createKubeApi(
  store: ObjectStore,
  /** Admission of new objects (wired by sandbox.ts: workloads/admission.ts): may edit the object or throw its refusal. */
  admit?: (resource: string, obj: KubeObject) => void,
): (ctx: RequestContext) => Promise<void> {
  return async (ctx) => {
    const segments = ctx.path.split('/').filter((s) => s.length > 0);
    if (segments[0] === 'api') {
      const [, version, ...rest] = segments;
      if (version === undefined) return discovery(ctx, () => apiVersions(ctx.req.headers.host ?? ''), true);
      if (!hasGroupVersion('', version)) throw resourceNotFound();
      if (rest.length === 0) return discovery(ctx, () => apiResourceList('', version));
      return serveResource(store, ctx, resolveTarget('', version, rest), admit);
    }
    if (segments[0] === 'apis') {
      const [, group, version, ...rest] = segments;
      if (group === undefined) return discovery(ctx, apiGroupList, false);
      if (!hasGroup(group)) throw resourceNotFound();
      if (version === undefined) return discovery(ctx, () => apiGroupDocument(group));
      if (!hasGroupVersion(group, version)) throw resourceNotFound();
      if (rest.length === 0) return discovery(ctx, () => apiResourceList(group, version));
      return serveResource(store, ctx, resolveTarget(group, version, rest), admit);
    }
    if (segments[0] === 'openapi' && segments[1] === 'v3') {
      const rest = segments.slice(2);
      const doc = rest.length === 0 ? openApiV3Root() : openApiV3GroupVersion(rest);
      if (doc) return discovery(ctx, () => doc);
    }
    throw resourceNotFound(); // /openapi/v2 and anything else
  };
}

/** A discovery document; `core` says which aggregated list /api (true) or /apis (false) serves. */
function discovery(ctx: RequestContext, legacy: () => unknown, core?: boolean) {
  if (ctx.method !== 'GET') throw methodNotAllowed(ctx.method, ctx.path);
  const aggregated = core === undefined ? undefined : preferredDiscovery(ctx.req.headers.accept);
  if (!aggregated) return sendJSON(ctx.res, 200, legacy());
  const text = JSON.stringify(aggregatedDiscovery(core!, aggregated));
  ctx.res.writeHead(200, {
    'Content-Type': aggregatedContentType(aggregated),
    'Content-Length': Buffer.byteLength(text),
  });
  ctx.res.end(text);
}

async function serveResource(
  store: ObjectStore,
  ctx: RequestContext,
  target: Target | undefined,
  admit?: (resource: string, obj: KubeObject) => void,
) {
  if (!target) throw resourceNotFound();
  if (ctx.query.get('dryRun')) {
    throw new StatusError('BadRequest', 'dryRun is not supported by the sandbox; leave it out to write');
  }
  const { method } = ctx;
  if (target.name === undefined) {
    if (method === 'GET')
      return isWatch(ctx)
        ? serveWatch(store, ctx, target, listOptionsOf(ctx, target))
        : list(store, ctx, target);
    if (method === 'POST') return create(store, ctx, target, admit);
    if (method === 'DELETE') return deleteCollection(store, ctx, target);
  } else {
    if (target.subresource === 'scale' && !isWatch(ctx))
      return serveScale(store, ctx, target.kind, target.namespace, target.name);
    if (method === 'GET') {
      if (isWatch(ctx)) return serveWatch(store, ctx, target, listOptionsOf(ctx, target));
      return get(store, ctx, target, target.name);
    }
    if (method === 'PUT') return update(store, ctx, target, target.name);
    if (method === 'PATCH') return patch(store, ctx, target, target.name);
    if (method === 'DELETE' && !target.subresource) return remove(store, ctx, target, target.name);
  }
  throw methodNotAllowed(method, ctx.path);
}

const isWatch = (ctx: RequestContext) => queryBool(ctx.query, 'watch');

function sendObject(ctx: RequestContext, target: Target, status: number, stored: KubeObject) {
  const obj = servedAs(target.kind, stored);
  if (wantsTable(ctx.req.headers.accept)) {
    const table = tableOf(
      target.kind.resource,
      [obj],
      obj.metadata.resourceVersion ?? '',
      includeObjectOf(ctx.query.get('includeObject')),
    );
    return sendJSON(ctx.res, status, table);
  }
  sendJSON(ctx.res, status, obj);
}

function get(store: ObjectStore, ctx: RequestContext, target: Target, name: string) {
  const { resource } = target.kind;
  if (wantsTable(ctx.req.headers.accept) || !isStorageVersion(target.kind))
    return sendObject(ctx, target, 200, store.get(resource, target.namespace, name));
  sendJSON(ctx.res, 200, store.getJSON(resource, target.namespace, name)); // hot path: cached JSON text
}

export const listOptionsOf = (ctx: RequestContext, target: Target) => ({
  namespace: target.namespace,
  labelSelector: ctx.query.get('labelSelector') ?? undefined,
  fieldSelector: ctx.query.get('fieldSelector') ?? undefined,
});

function list(store: ObjectStore, ctx: RequestContext, target: Target) {
  const { kind } = target;
  const options = listOptionsOf(ctx, target);
  if (wantsTable(ctx.req.headers.accept)) {
    const { items, resourceVersion } = store.list(kind.resource, options);
    return sendJSON(
      ctx.res,
      200,
      tableOf(kind.resource, items, resourceVersion, includeObjectOf(ctx.query.get('includeObject'))),
    );
  }
  if (!isStorageVersion(kind)) {
    const { items, resourceVersion } = store.list(kind.resource, options);
    const list = { kind: kind.listKind, apiVersion: apiVersionOf(kind), metadata: { resourceVersion } };
    return sendJSON(ctx.res, 200, { ...list, items: items.map((o) => servedAs(kind, o)) });
  }
  const { items, resourceVersion } = store.listJSON(kind.resource, options);
  sendJSON(
    ctx.res,
    200,
    `{"kind":"${kind.listKind}","apiVersion":"${apiVersionOf(kind)}","metadata":{"resourceVersion":"${resourceVersion}"},"items":[${items.join(',')}]}`,
  );
}

/** Check a body is an object of this kind in this namespace; fills in the URL's namespace. */
function checkBody(body: unknown, target: Target): KubeObject {
  const { kind } = target;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StatusError(
      'BadRequest',
      `the request body must be a ${kind.kind} object, got ${describeValue(body)}`,
    );
  }
  const obj = body as KubeObject;
  if (obj.kind !== undefined && obj.kind !== kind.kind) {
    throw new StatusError(
      'BadRequest',
      `the kind in the body (${String(obj.kind)}) does not match the resource ${target.kind.resource} (kind ${kind.kind})`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(kind)) {
    throw new StatusError(
      'BadRequest',
      `the API version in the body (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(kind)})`,
    );
  }
  if (obj.metadata === undefined) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
    throw new StatusError('BadRequest', 'metadata in the request body must be an object');
  }
  if (kind.namespaced && target.namespace !== undefined) {
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== target.namespace) {
      throw new StatusError(
        'BadRequest',
        `the namespace of the provided object (${String(obj.metadata.namespace)}) does not match the namespace sent on the request (${target.namespace})`,
      );
    }
    obj.metadata.namespace = target.namespace;
  }
  return obj;
}

/** JSON or YAML, or protobuf as kubectl's typed generators send it (Namespace, ConfigMap). */
async function objectBody(ctx: RequestContext): Promise<unknown> {
  if (contentTypeOf(ctx.req) === PROTOBUF_CONTENT_TYPE) return decodeProtobufObject(await readBody(ctx.req));
  return readObjectBody(ctx.req);
}

async function create(
  store: ObjectStore,
  ctx: RequestContext,
  target: Target,
  admit?: (resource: string, obj: KubeObject) => void,
): Promise<void> {
  if (target.kind.namespaced && target.namespace === undefined) throw methodNotAllowed(ctx.method, ctx.path);
  const obj = checkBody(await objectBody(ctx), target);
  admit?.(target.kind.resource, obj);
  sendObject(ctx, target, 201, store.create(target.kind.resource, obj));
}

async function update(store: ObjectStore, ctx: RequestContext, target: Target, name: string): Promise<void> {
  const obj = checkBody(await objectBody(ctx), target);
  if (obj.metadata.name !== name) {
    throw new StatusError(
      'BadRequest',
      `the name of the object (${String(obj.metadata.name ?? '')}) does not match the name on the URL (${name})`,
    );
  }
  sendObject(ctx, target, 200, store.update(target.kind.resource, obj));
}

async function patch(store: ObjectStore, ctx: RequestContext, target: Target, name: string): Promise<void> {
  const { kind } = target;
  const type = patchTypeOf(contentTypeOf(ctx.req), kind);
  const text = (await readBody(ctx.req)).toString('utf8');
  const current = store.get(kind.resource, target.namespace, name);
  const patched = applyPatchText(current, text, type) as unknown;
  const meta = (patched as KubeObject | null)?.metadata;
  if (typeof patched !== 'object' || patched === null || typeof meta !== 'object' || meta === null) {
    throw new StatusError('Invalid', `${kind.kind} "${name}" is invalid: the patched object has no metadata`);
  }
  for (const key of ['name', 'namespace'] as const) {
    if (meta[key] !== current.metadata[key]) {
      throw new StatusError(
        'Invalid',
        `${kind.kind} "${name}" is invalid: metadata.${key}: Invalid value: ${JSON.stringify(meta[key] ?? null)}: field is immutable`,
      );
    }
  }
  sendObject(ctx, target, 200, store.update(kind.resource, patched as KubeObject));
}

/** DeleteOptions from an optional body: only preconditions matter to the sandbox. */
async function deleteOptions(ctx: RequestContext): Promise<{ uid?: string; resourceVersion?: string }> {
  const text = (await readBody(ctx.req)).toString('utf8');
  if (text.trim() === '') return {};
  const body = parseBodyText(text, contentTypeOf(ctx.req) === 'application/yaml' ? 'yaml' : 'json');
  const pre = (body as { preconditions?: unknown } | null)?.preconditions;
  if (typeof pre !== 'object' || pre === null) return {};
  const { uid, resourceVersion } = pre as Record<string, unknown>;
  return {
    ...(typeof uid === 'string' ? { uid } : {}),
    ...(typeof resourceVersion === 'string' ? { resourceVersion } : {}),
  };
}

async function remove(store: ObjectStore, ctx: RequestContext, target: Target, name: string): Promise<void> {
  const preconditions = await deleteOptions(ctx);
  sendObject(ctx, target, 200, store.delete(target.kind.resource, target.namespace, name, preconditions));
}

async function deleteCollection(store: ObjectStore, ctx: RequestContext, target: Target): Promise<void> {
  await deleteOptions(ctx);
  const { kind } = target;
  const { items } = store.list(kind.resource, listOptionsOf(ctx, target));
  const deleted = items.map((o) => store.delete(kind.resource, o.metadata.namespace, o.metadata.name ?? ''));
  sendJSON(ctx.res, 200, {
    kind: kind.listKind,
    apiVersion: apiVersionOf(kind),
    metadata: { resourceVersion: store.resourceVersion },
    items: deleted,
  });
}
