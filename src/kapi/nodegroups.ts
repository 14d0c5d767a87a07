/**
 * One typed function per KAPI operation of the operations guide. Each has a pure request
 * builder (used by `--dry-run`) and a function that sends it. Names are checked before sending.
 */
import { type BindingKind, bindingKind } from '../binding-kinds';
import { NODEGROUP_API_VERSION, NODEGROUP_GROUP, NODEGROUP_VERSION } from '../constants';
import type { KapiClient, KapiRequest } from './client';
import { checkName } from './names';

export interface NodeGroupSpec {
  alias?: string;
  description?: string;
  manager?: string;
}

export interface NodeGroup {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: NodeGroupSpec;
  status?: { state?: string; [key: string]: unknown };
}

export interface NodeGroupList {
  items: NodeGroup[];
  totalItems: number;
}

export interface Scope {
  /** Member cluster; the host cluster's plain path when absent. */
  cluster?: string;
}

export interface ListOptions extends Scope {
  /** Substring of name or alias. */
  name?: string;
  labelSelector?: string;
  page?: number;
  limit?: number;
  sortBy?: string;
  ascending?: boolean;
}

export type { BindingKind };

/** `/nodegroups/{ng}/{segment}/{target}`: the segment from the binding kinds table. */
const bindingPath = (kind: BindingKind, group: string, target: string, scope: Scope) =>
  `${groupPath(group, scope)}/${bindingKind(kind).kapiSegment}/${encodeURIComponent(checkName(kind, target))}`;

/** `/kapis/infra.kubesphere.io/v1alpha1`, or `/kapis/clusters/{cluster}/...` for a member cluster. */
export function kapiBase(cluster?: string): string {
  const scope = cluster ? `clusters/${checkName('cluster', cluster)}/` : '';
  return `/kapis/${scope}${NODEGROUP_GROUP}/${NODEGROUP_VERSION}`;
}

const groupPath = (name: string, scope: Scope) =>
  `${kapiBase(scope.cluster)}/nodegroups/${encodeURIComponent(checkName('nodegroup', name))}`;

/** RFC 6902 operations setting each given spec field, as the guide's helper sends them. */
export function specFieldOperations(spec: NodeGroupSpec): { op: 'add'; path: string; value: string }[] {
  return Object.entries(pickSpec(spec)).map(([field, value]) => ({
    op: 'add',
    path: `/spec/${field}`,
    value: value as string,
  }));
}

/** Only the fields given, so a patch changes exactly what was asked. */
function pickSpec(spec: NodeGroupSpec): NodeGroupSpec {
  const picked: NodeGroupSpec = {};
  if (spec.alias !== undefined) picked.alias = spec.alias;
  if (spec.description !== undefined) picked.description = spec.description;
  if (spec.manager !== undefined) picked.manager = spec.manager;
  return picked;
}

export const nodegroupRequests = {
  list: (options: ListOptions = {}): KapiRequest => ({
    method: 'GET',
    path: `${kapiBase(options.cluster)}/nodegroups`,
    query: {
      name: options.name,
      labelSelector: options.labelSelector,
      page: options.page,
      limit: options.limit,
      sortBy: options.sortBy,
      ascending: options.ascending,
    },
  }),
  get: (name: string, scope: Scope = {}): KapiRequest => ({ method: 'GET', path: groupPath(name, scope) }),
  create: (name: string, spec: NodeGroupSpec = {}, scope: Scope = {}): KapiRequest => ({
    method: 'POST',
    path: `${kapiBase(scope.cluster)}/nodegroups`,
    body: {
      apiVersion: NODEGROUP_API_VERSION,
      kind: 'NodeGroup',
      metadata: { name: checkName('nodegroup', name) },
      spec: pickSpec(spec),
    },
  }),
  update: (group: NodeGroup, scope: Scope = {}): KapiRequest => ({
    method: 'PUT',
    path: groupPath(group.metadata.name, scope),
    body: group,
  }),
  /** Merge patch of spec fields: robust when `spec` is absent, unlike a JSON Patch `add`. */
  patchSpec: (name: string, spec: NodeGroupSpec, scope: Scope = {}): KapiRequest => ({
    method: 'PATCH',
    path: groupPath(name, scope),
    contentType: 'application/merge-patch+json',
    body: { spec: pickSpec(spec) },
  }),
  /** The guide's wire form of setting spec fields: a JSON Patch `add` on `/spec/<field>` per field. */
  setSpecFields: (name: string, spec: NodeGroupSpec, scope: Scope = {}): KapiRequest =>
    nodegroupRequests.jsonPatch(name, specFieldOperations(spec), scope),
  /** RFC 6902 JSON Patch. */
  jsonPatch: (name: string, operations: unknown[], scope: Scope = {}): KapiRequest => ({
    method: 'PATCH',
    path: groupPath(name, scope),
    contentType: 'application/json-patch+json',
    body: operations,
  }),
  delete: (name: string, scope: Scope = {}): KapiRequest => ({
    method: 'DELETE',
    path: groupPath(name, scope),
  }),
  bind: (kind: BindingKind, group: string, target: string, scope: Scope = {}): KapiRequest => ({
    method: 'POST',
    path: bindingPath(kind, group, target, scope),
  }),
  unbind: (kind: BindingKind, group: string, target: string, scope: Scope = {}): KapiRequest => ({
    method: 'DELETE',
    path: bindingPath(kind, group, target, scope),
  }),
};

export const listNodeGroups = (client: KapiClient, options?: ListOptions) =>
  client.call<NodeGroupList>(nodegroupRequests.list(options));
export const getNodeGroup = (client: KapiClient, name: string, scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.get(name, scope));
export const createNodeGroup = (client: KapiClient, name: string, spec?: NodeGroupSpec, scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.create(name, spec, scope));
export const updateNodeGroup = (client: KapiClient, group: NodeGroup, scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.update(group, scope));
export const patchNodeGroup = (client: KapiClient, name: string, spec: NodeGroupSpec, scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.patchSpec(name, spec, scope));
export const jsonPatchNodeGroup = (client: KapiClient, name: string, operations: unknown[], scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.jsonPatch(name, operations, scope));
export const deleteNodeGroup = (client: KapiClient, name: string, scope?: Scope) =>
  client.call<NodeGroup>(nodegroupRequests.delete(name, scope));

/** Bind a target of any kind of the table (`node`, ...) to a group. */
export const bindTarget = (
  client: KapiClient,
  kind: BindingKind,
  group: string,
  target: string,
  scope?: Scope,
) => client.call(nodegroupRequests.bind(kind, group, target, scope));
export const unbindTarget = (
  client: KapiClient,
  kind: BindingKind,
  group: string,
  target: string,
  scope?: Scope,
) => client.call(nodegroupRequests.unbind(kind, group, target, scope));
