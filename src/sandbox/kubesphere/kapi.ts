/**
 * The nodegroup KAPI under /kapis/infra.kubesphere.io/v1alpha1, and its multi-cluster forms
 * /kapis/clusters/{cluster}/infra.kubesphere.io/v1alpha1/... (KubeSphere 3) and
 * /clusters/{cluster}/kapis/infra.kubesphere.io/v1alpha1/... (KubeSphere 4's cluster dispatcher).
 * Handlers throw StatusError (the router answers text/plain with its message and code).
 *
 * Binds and unbinds record intent only: DESIRED_NODEGROUP_ANNOTATION on the target object names
 * the group it should belong to ('' for none); the NodegroupController applies it.
 */
import { type BindingKindSpec, bindingKindSpecs, groupOfTarget } from '../../binding-kinds';
import {
  DESIRED_NODEGROUP_ANNOTATION,
  HOST_CLUSTER,
  ippoolKeyOf,
  ippoolNameOf,
  KAPI_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
  NODEGROUP_API_VERSION,
  NODEGROUP_FINALIZER,
  NODEGROUP_STATE,
} from '../../constants';
import {
  contentTypeOf,
  describeValue,
  type RequestContext,
  readBody,
  readObjectBody,
  sendJSON,
  sendStatus,
  sendText,
} from '../http/http';
import { applyPatchText, type PatchType, patchTypeOf } from '../http/patch';
import { kindByResource } from '../store/kinds';
import type { KubeObject } from '../store/object';
import { readNodegroupConfig } from '../store/read-config';
import { badRequest, conflict, invalid } from '../store/status';
import type { ObjectStore } from '../store/store';
import { pageOf } from './kapi-list';

const NODEGROUPS = kindByResource('nodegroups');
const GROUP = NODEGROUPS.group;
const API_PATH = KAPI_PREFIX.slice('/kapis/'.length); // infra.kubesphere.io/v1alpha1
/** The binding kind a KAPI path segment names (`nodes`), read from the table at call time. */
const kindOfSegment = (segment: string) => bindingKindSpecs().find((k) => k.kapiSegment === segment);
/** Bodies a client may send on a bind/unbind that still mean "no body". */
const EMPTY_BODIES = new Set(['', '{}', 'null']);

const pageNotFound = (ctx: RequestContext) => sendText(ctx.res, 404, '404: Page Not Found');
const methodNotAllowed = (ctx: RequestContext) => sendText(ctx.res, 405, '405: Method Not Allowed');

/** The path inside the API group, or null when the request was answered (unknown cluster/route). */
function apiPath(ctx: RequestContext): string | null {
  const cluster = /^\/(?:kapis\/clusters|clusters)\/([^/]+)(\/.*)?$/.exec(ctx.path);
  let rest = ctx.path;
  if (cluster) {
    if (cluster[1] !== HOST_CLUSTER) {
      sendStatus(ctx.res, badRequest(`cluster ${cluster[1]} not exists`));
      return null;
    }
    rest = ctx.path.startsWith('/kapis/') ? `/kapis${cluster[2] ?? ''}` : (cluster[2] ?? '');
  }
  const prefix = `/kapis/${API_PATH}/`;
  if (!rest.startsWith(prefix)) {
    pageNotFound(ctx);
    return null;
  }
  return rest.slice(prefix.length);
}

export function createKapi(deps: { store: ObjectStore }): (ctx: RequestContext) => Promise<void> {
  const { store } = deps;
  return async (ctx) => {
    const path = apiPath(ctx);
    if (path === null) return;
    const parts = path.split('/');
    if (parts[0] !== 'nodegroups' || parts.some((p, i) => p === '' && i > 0)) return pageNotFound(ctx);
    const { method } = ctx;
    if (parts.length === 1 || (parts.length === 2 && parts[1] === '')) {
      if (method === 'GET') {
        const { items } = store.list('nodegroups', {
          labelSelector: ctx.query.get('labelSelector') ?? undefined,
        });
        return sendJSON(ctx.res, 200, pageOf(items, ctx.query));
      }
      if (method === 'POST')
        return sendJSON(ctx.res, 200, store.create('nodegroups', await newNodegroup(ctx)));
      return methodNotAllowed(ctx);
    }
    const name = parts[1]!;
    if (parts.length === 2) {
      if (method === 'GET') return sendJSON(ctx.res, 200, store.getJSON('nodegroups', undefined, name));
      if (method === 'PUT') return sendJSON(ctx.res, 200, await replace(ctx, store, name));
      if (method === 'PATCH') return sendJSON(ctx.res, 200, await patch(ctx, store, name));
      if (method === 'DELETE') return sendJSON(ctx.res, 200, deleteNodegroup(store, name));
      return methodNotAllowed(ctx);
    }
    const target = kindOfSegment(parts[2]!);
    if (parts.length !== 4 || !target) return pageNotFound(ctx);
    if (method !== 'POST' && method !== 'DELETE') return methodNotAllowed(ctx);
    await requireNoBody(ctx);
    return sendJSON(ctx.res, 200, bind(store, name, target, parts[3]!, method === 'POST'));
  };
}

/** A body a client sent for a NodeGroup: an object of that kind, or 400. */
async function nodegroupBody(ctx: RequestContext): Promise<KubeObject> {
  const body = await readObjectBody(ctx.req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`the request body must be a NodeGroup object, got ${describeValue(body)}`);
  }
  const obj = body as KubeObject;
  if (obj.kind !== undefined && obj.kind !== NODEGROUPS.kind) {
    throw badRequest(
      `${String(obj.kind)} cannot be handled as a ${NODEGROUPS.kind}: the body must have kind ${NODEGROUPS.kind}`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== NODEGROUP_API_VERSION) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${NODEGROUP_API_VERSION})`,
    );
  }
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
    throw badRequest('the request body has no metadata object');
  }
  checkSpec(obj);
  return obj;
}

/** spec.alias, spec.description and spec.manager are strings (the CRD's schema). */
function checkSpec(obj: KubeObject): void {
  const spec = obj.spec;
  const name = obj.metadata.name ?? '';
  if (spec === undefined) return;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw invalid(NODEGROUPS.kind, GROUP, name, [
      { field: 'spec', message: 'Invalid value: must be an object' },
    ]);
  }
  const causes = ['alias', 'description', 'manager']
    .filter((field) => {
      const value = (spec as Record<string, unknown>)[field];
      return value !== undefined && typeof value !== 'string';
    })
    .map((field) => ({
      field: `spec.${field}`,
      message: `Invalid value: ${JSON.stringify((spec as Record<string, unknown>)[field])}: must be a string`,
    }));
  if (causes.length) throw invalid(NODEGROUPS.kind, GROUP, name, causes);
}

async function newNodegroup(ctx: RequestContext): Promise<KubeObject> {
  const obj = await nodegroupBody(ctx);
  const { uid, resourceVersion, creationTimestamp, deletionTimestamp, ...metadata } = obj.metadata;
  const finalizers = metadata.finalizers ?? [];
  const out: KubeObject = {
    apiVersion: NODEGROUP_API_VERSION,
    kind: NODEGROUPS.kind,
    metadata: {
      ...metadata,
      finalizers:
        Array.isArray(finalizers) && !finalizers.includes(NODEGROUP_FINALIZER)
          ? [...finalizers, NODEGROUP_FINALIZER]
          : finalizers,
    },
    spec: obj.spec ?? {},
  };
  return out; // status is the controller's: it sets status.state
}

/**
 * Delete as the nodegroup apiserver does: a group its finalizer holds is marked terminating in the
 * same write, and the answer is the object as stored (what a GET right after shows).
 */
function deleteNodegroup(store: ObjectStore, name: string): KubeObject {
  const written = store.delete('nodegroups', undefined, name);
  if (!store.has('nodegroups', undefined, name)) return written;
  const state = (written.status as { state?: string } | undefined)?.state;
  if (state === NODEGROUP_STATE.terminating) return written;
  return store.mutate('nodegroups', undefined, name, (g) => {
    g.status = { ...(g.status as object), state: NODEGROUP_STATE.terminating };
  });
}

function sameName(name: string, obj: KubeObject): void {
  if (obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`,
    );
  }
}

async function replace(ctx: RequestContext, store: ObjectStore, name: string): Promise<KubeObject> {
  const obj = await nodegroupBody(ctx);
  sameName(name, obj);
  const current = store.get('nodegroups', undefined, name);
  if (!obj.metadata.resourceVersion) {
    throw invalid(NODEGROUPS.kind, GROUP, name, [
      { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
    ]);
  }
  return store.update('nodegroups', { ...obj, status: current.status }); // status belongs to the controller
}

function patchTypeFor(ctx: RequestContext, text: string): PatchType {
  const type = contentTypeOf(ctx.req);
  // Plain JSON (what simple helpers send): an array is a JSON Patch, an object a merge patch.
  if (type === 'application/json' || type === '') return text.trimStart().startsWith('[') ? 'json' : 'merge';
  return patchTypeOf(type, NODEGROUPS);
}

async function patch(ctx: RequestContext, store: ObjectStore, name: string): Promise<KubeObject> {
  const text = (await readBody(ctx.req)).toString('utf8');
  const type = patchTypeFor(ctx, text);
  const current = store.get('nodegroups', undefined, name);
  const patched = applyPatchText(current, text, type);
  if (typeof patched.metadata !== 'object' || patched.metadata === null)
    throw badRequest('the patch removes metadata');
  sameName(name, patched);
  checkSpec(patched);
  patched.metadata.resourceVersion ??= current.metadata.resourceVersion;
  return store.update('nodegroups', { ...patched, status: current.status });
}

async function requireNoBody(ctx: RequestContext): Promise<void> {
  const text = (await readBody(ctx.req, 64 * 1024)).toString('utf8').trim();
  if (!EMPTY_BODIES.has(text)) {
    throw badRequest(
      `bind and unbind take no request body; got ${Buffer.byteLength(text)} bytes (send none)`,
    );
  }
}

/** The group a target belongs to or will belong to once the controller has run. */
function effectiveGroup(target: BindingKindSpec, obj: KubeObject): string | undefined {
  const pending = obj.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (pending !== undefined) return pending || undefined;
  return groupOfTarget(target.kind, obj);
}

/**
 * A target bound to `group` that lacks part of what its kind's binding writes (the group-side
 * label, or the placement annotations the config asks for), e.g. after a hand edit: binding it
 * again writes the whole binding anew, as the diagnosis recommends.
 */
function bindingIncomplete(
  store: ObjectStore,
  target: BindingKindSpec,
  obj: KubeObject,
  ng: KubeObject,
): boolean {
  const name = obj.metadata.name!;
  const group = ng.metadata.name!;
  const { groupLabelPrefix, placement } = target.binding;
  if (groupLabelPrefix && ng.metadata.labels?.[`${groupLabelPrefix}${name}`] !== name) return true;
  if (!placement) return false;
  const read = readNodegroupConfig(store);
  const config = 'config' in read ? read.config : undefined;
  const notes = obj.metadata.annotations ?? {};
  return (
    (config?.scheduling === true && notes[NODE_SELECTOR_ANNOTATION] !== `${NODE_GROUP_LABEL}=${group}`) ||
    (config?.ippool === true && notes[ippoolKeyOf(group)] !== ippoolNameOf(group))
  );
}

/** Record the binding intent on the target; idempotent (no write when nothing would change). */
function bind(
  store: ObjectStore,
  group: string,
  target: BindingKindSpec,
  name: string,
  on: boolean,
): KubeObject {
  const ng = store.get('nodegroups', undefined, group);
  const obj = store.get(target.resource, undefined, name);
  if (on && ng.metadata.deletionTimestamp) {
    throw conflict(
      NODEGROUPS.resource,
      GROUP,
      group,
      'the nodegroup is being deleted and takes no new bindings',
    );
  }
  const effective = effectiveGroup(target, obj);
  if (!on && effective !== group) return obj;
  if (on && effective === group) {
    // Already bound (or pending): nothing to write, unless a bound namespace needs repairing.
    const pending = obj.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION] !== undefined;
    if (pending || !bindingIncomplete(store, target, obj, ng)) return obj;
  }
  return store.mutate(target.resource, undefined, name, (o) => {
    o.metadata.annotations = { ...o.metadata.annotations, [DESIRED_NODEGROUP_ANNOTATION]: on ? group : '' };
  });
}
