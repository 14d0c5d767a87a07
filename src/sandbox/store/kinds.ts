/**
 * The resource types the sandbox serves, as data: one generic store and one REST handler serve
 * them all (no per-kind handlers). Table columns live in tables.ts, keyed by resource.
 */

export interface ResourceKind {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, as in URLs
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Kinds kubectl patches with strategic merge (built-in kinds); CRDs take JSON and merge patch only. */
  strategicMerge: boolean;
  /** The apiserver keeps `metadata.generation` (workloads and custom resources; not nodes, pods, ...). */
  generation: boolean;
  /** Serves the `scale` subresource (kubernetes/scale.ts): Deployments and ReplicaSets. */
  scale?: true;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const core = (resource: string, kind: string, namespaced: boolean, shortNames: string[]): ResourceKind => ({
  group: '',
  version: 'v1',
  resource,
  singular: kind.toLowerCase(),
  kind,
  listKind: `${kind}List`,
  namespaced,
  shortNames,
  categories: namespaced && resource !== 'events' && resource !== 'configmaps' ? ['all'] : [],
  strategicMerge: true,
  generation: false,
});

const workload = (resource: string, kind: string, shortNames: string[]): ResourceKind => ({
  ...core(resource, kind, true, shortNames),
  group: 'apps',
  categories: ['all'],
  generation: true,
  scale: true,
});

const custom = (group: string, version: string, resource: string, kind: string, shortNames: string[]) => ({
  group,
  version,
  resource,
  singular: kind.toLowerCase(),
  kind,
  listKind: `${kind}List`,
  namespaced: false,
  shortNames,
  categories: [],
  strategicMerge: false,
  generation: true,
});

/**
 * Every served version of a resource is an entry; the first entry of a resource is its storage
 * version (what the store writes); others answer with their own apiVersion. KubeSphere 4.1 serves
 * the tenant API as v1beta1 (storage) with the older versions still answering.
 */
export const KINDS: readonly ResourceKind[] = [
  core('nodes', 'Node', false, ['no']),
  core('namespaces', 'Namespace', false, ['ns']),
  core('configmaps', 'ConfigMap', true, ['cm']),
  core('pods', 'Pod', true, ['po']),
  core('events', 'Event', true, ['ev']),
  core('services', 'Service', true, ['svc']),
  { ...core('endpoints', 'Endpoints', true, ['ep']), singular: 'endpoints', categories: [] },
  {
    ...core('endpointslices', 'EndpointSlice', true, []),
    group: 'discovery.k8s.io',
    categories: [],
  },
  workload('deployments', 'Deployment', ['deploy']),
  workload('replicasets', 'ReplicaSet', ['rs']),
  custom('infra.kubesphere.io', 'v1alpha1', 'nodegroups', 'NodeGroup', ['ng']),
  custom('tenant.kubesphere.io', 'v1beta1', 'workspaces', 'Workspace', ['ws']),
  custom('tenant.kubesphere.io', 'v1beta1', 'workspacetemplates', 'WorkspaceTemplate', ['wst']),
  custom('tenant.kubesphere.io', 'v1alpha1', 'workspaces', 'Workspace', ['ws']),
  custom('tenant.kubesphere.io', 'v1alpha2', 'workspacetemplates', 'WorkspaceTemplate', ['wst']),
  custom('network.kubesphere.io', 'v1alpha1', 'ippools', 'IPPool', []),
];

export const apiVersionOf = (k: Pick<ResourceKind, 'group' | 'version'>): string =>
  k.group ? `${k.group}/${k.version}` : k.version;

/** Find a kind by URL coordinates: group ('' for core), version, plural resource. */
export function findKind(group: string, version: string, resource: string): ResourceKind | undefined {
  return KINDS.find((k) => k.group === group && k.version === version && k.resource === resource);
}

/** An object as a version serves it: the stored object with that version's apiVersion. */
export function servedAs<T extends { apiVersion?: string }>(kind: ResourceKind, obj: T): T {
  const apiVersion = apiVersionOf(kind);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** Is this the version the store writes? */
export const isStorageVersion = (kind: ResourceKind): boolean => kindByResource(kind.resource) === kind;

export function kindByResource(resource: string): ResourceKind {
  const kind = KINDS.find((k) => k.resource === resource);
  if (!kind) throw new Error(`unknown resource ${resource}`);
  return kind;
}
