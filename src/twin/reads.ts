/**
 * What a twin reads, as data, and one pass reading it: every kind a runbook needs, each through
 * the API a runbook uses for it (nodegroups through the KAPI, the rest through the Kubernetes
 * API). GET only. A 404 on a collection means the kind is not served (no IPPool CRD); a 403 means
 * missing RBAC, reported per kind with the permission, after every other read was tried.
 */
import { NODEGROUP_CONFIGMAP, NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../constants';
import { HttpError } from '../kapi/errors';
import { listNodeGroups } from '../kapi/nodegroups';
import { KubeApiError, statusMessage } from '../kube/errors';
import { RESOURCES, type ResourceRef } from '../kube/resources';
import { contentHash, sanitize, type TwinObject } from './sanitize';
import type { TwinSource } from './target';

export interface ReadSpec {
  /** Table name in the sandbox state (the URL plural). */
  resource: string;
  ref: ResourceRef;
  via: 'kapi' | 'kube';
  /** Only these objects (GET each), in `namespace`; absent: the whole collection (one list). */
  names?: readonly string[];
  namespace?: string;
  /** Of a listed collection, the objects kept. */
  keep?: (obj: TwinObject) => boolean;
}

const ofNodegroupDeployment = (obj: TwinObject) =>
  NODEGROUP_DEPLOYMENTS.some((d) => (obj.metadata.name ?? '').startsWith(`${d}-`));

export const TWIN_READS: readonly ReadSpec[] = [
  { resource: 'nodegroups', ref: RESOURCES.nodegroup, via: 'kapi' },
  { resource: 'nodes', ref: RESOURCES.node, via: 'kube' },
  { resource: 'namespaces', ref: RESOURCES.namespace, via: 'kube' },
  { resource: 'workspaces', ref: RESOURCES.workspace, via: 'kube' },
  { resource: 'workspacetemplates', ref: RESOURCES.workspacetemplate, via: 'kube' },
  {
    resource: 'configmaps',
    ref: RESOURCES.configmap,
    via: 'kube',
    namespace: NODEGROUP_NAMESPACE,
    names: [NODEGROUP_CONFIGMAP],
  },
  {
    resource: 'deployments',
    ref: RESOURCES.deployment,
    via: 'kube',
    namespace: NODEGROUP_NAMESPACE,
    names: NODEGROUP_DEPLOYMENTS,
  },
  {
    resource: 'pods',
    ref: RESOURCES.pod,
    via: 'kube',
    namespace: NODEGROUP_NAMESPACE,
    keep: ofNodegroupDeployment,
  },
  { resource: 'ippools', ref: RESOURCES.ippool, via: 'kube' },
];

/** One object read: enough to tell later whether it changed. */
export interface ReadEntry {
  kind: string;
  resource: string;
  name: string;
  namespace?: string;
  /** The server's version of it; absent when the server gave none. */
  resourceVersion?: string;
  /** Content hash (see sanitize.ts); absent for an object that did not exist. */
  hash?: string;
  /** A named object that did not exist when read. */
  absent?: true;
}

/** One read (a list or the named gets) and what it found. */
export interface ReadCollection {
  resource: string;
  namespace?: string;
  names?: readonly string[];
  /** false: the server answered 404 on the list (the kind is not installed there). */
  served: boolean;
}

/** A read the credentials are not allowed to make. */
export interface ForbiddenRead {
  kind: string;
  resource: string;
  group: string;
  verb: 'list' | 'get';
  namespace?: string;
  serverMessage: string;
}

export interface LiveRead {
  objects: Record<string, TwinObject[]>;
  entries: ReadEntry[];
  collections: ReadCollection[];
  forbidden: ForbiddenRead[];
  /** The highest numeric resourceVersion seen (lists and objects). */
  maxResourceVersion: number;
}

const groupOf = (ref: ResourceRef) => (ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '');
const statusOf = (err: unknown) =>
  err instanceof HttpError || err instanceof KubeApiError ? err.status : undefined;
const messageOf = (err: unknown) =>
  err instanceof HttpError ? err.serverMessage : err instanceof KubeApiError ? statusMessage(err.body) : '';

type Outcome =
  | { ok: true; items: TwinObject[]; absent: string[]; listVersion?: string }
  | { ok: false; status: 404 | 403; message: string };

async function nodegroupsByKapi(source: TwinSource): Promise<TwinObject[]> {
  const first = await listNodeGroups(source.kapi);
  const items = [...first.items] as TwinObject[];
  // A server that pages by default: the next pages, of the first page's size.
  for (let page = 2; items.length < first.totalItems && first.items.length > 0; page++) {
    const next = await listNodeGroups(source.kapi, { page, limit: first.items.length });
    if (next.items.length === 0) break;
    items.push(...(next.items as TwinObject[]));
  }
  return items;
}

async function readOne(source: TwinSource, spec: ReadSpec): Promise<Outcome> {
  try {
    if (spec.via === 'kapi') return { ok: true, items: await nodegroupsByKapi(source), absent: [] };
    if (spec.names) {
      const items: TwinObject[] = [];
      const absent: string[] = [];
      for (const name of spec.names) {
        const obj = await source.kube.get(spec.ref, name, spec.namespace);
        if (obj) items.push(obj as TwinObject);
        else absent.push(name);
      }
      return { ok: true, items, absent };
    }
    const list = await source.kube.list(spec.ref, spec.namespace ? { namespace: spec.namespace } : {});
    const items = (list.items as TwinObject[]).filter((o) => !spec.keep || spec.keep(o));
    return { ok: true, items, absent: [], listVersion: list.resourceVersion };
  } catch (err) {
    const status = statusOf(err);
    if (status === 404 || status === 403) return { ok: false, status, message: messageOf(err) };
    throw err;
  }
}

const versionNumber = (rv: string | undefined) => (rv && /^\d+$/.test(rv) ? Number(rv) : 0);

/** Read every spec (in parallel), sanitize what came back and note how to tell it changed. */
export async function readLive(
  source: TwinSource,
  specs: readonly ReadSpec[] = TWIN_READS,
): Promise<LiveRead> {
  const outcomes = await Promise.all(specs.map((spec) => readOne(source, spec)));
  const out: LiveRead = { objects: {}, entries: [], collections: [], forbidden: [], maxResourceVersion: 0 };
  specs.forEach((spec, i) => {
    const outcome = outcomes[i]!;
    const scope = {
      resource: spec.resource,
      ...(spec.namespace ? { namespace: spec.namespace } : {}),
      ...(spec.names ? { names: spec.names } : {}),
    };
    if (!outcome.ok && outcome.status === 403) {
      out.forbidden.push({
        kind: spec.ref.kind,
        resource: spec.resource,
        group: groupOf(spec.ref),
        verb: spec.names ? 'get' : 'list',
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
        serverMessage: outcome.message,
      });
      return;
    }
    out.collections.push({ ...scope, served: outcome.ok });
    if (!outcome.ok) return;
    out.maxResourceVersion = Math.max(out.maxResourceVersion, versionNumber(outcome.listVersion));
    const kept: TwinObject[] = [];
    for (const obj of outcome.items) {
      sanitize(obj, { apiVersion: spec.ref.apiVersion, kind: spec.ref.kind });
      const meta = obj.metadata;
      out.maxResourceVersion = Math.max(out.maxResourceVersion, versionNumber(meta.resourceVersion));
      out.entries.push({
        kind: spec.ref.kind,
        resource: spec.resource,
        name: meta.name ?? '',
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
        hash: contentHash(obj),
      });
      kept.push(obj);
    }
    for (const name of outcome.absent) {
      out.entries.push({
        kind: spec.ref.kind,
        resource: spec.resource,
        name,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
        absent: true,
      });
    }
    out.objects[spec.resource] = kept;
  });
  return out;
}
