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
  /** Serves the `scale` subresource (workloads/scale.ts). */
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
});

export const KINDS: readonly ResourceKind[] = [
  core('nodes', 'Node', false, ['no']),
  core('namespaces', 'Namespace', false, ['ns']),
  core('configmaps', 'ConfigMap', true, ['cm']),
  core('pods', 'Pod', true, ['po']),
  core('events', 'Event', true, ['ev']),
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    strategicMerge: true,
    scale: true,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    listKind: 'ReplicaSetList',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    strategicMerge: true,
    scale: true,
  },
  {
    group: 'infra.kubesphere.io',
    version: 'v1alpha1',
    resource: 'nodegroups',
    singular: 'nodegroup',
    kind: 'NodeGroup',
    listKind: 'NodeGroupList',
    namespaced: false,
    shortNames: ['ng'],
    categories: [],
    strategicMerge: false,
  },
  {
    group: 'tenant.kubesphere.io',
    version: 'v1alpha1',
    resource: 'workspaces',
    singular: 'workspace',
    kind: 'Workspace',
    listKind: 'WorkspaceList',
    namespaced: false,
    shortNames: ['ws'],
    categories: [],
    strategicMerge: false,
  },
  {
    group: 'tenant.kubesphere.io',
    version: 'v1alpha2',
    resource: 'workspacetemplates',
    singular: 'workspacetemplate',
    kind: 'WorkspaceTemplate',
    listKind: 'WorkspaceTemplateList',
    namespaced: false,
    shortNames: ['wst'],
    categories: [],
    strategicMerge: false,
  },
  {
    group: 'network.kubesphere.io',
    version: 'v1alpha1',
    resource: 'ippools',
    singular: 'ippool',
    kind: 'IPPool',
    listKind: 'IPPoolList',
    namespaced: false,
    shortNames: [],
    categories: [],
    strategicMerge: false,
  },
];

export const apiVersionOf = (k: Pick<ResourceKind, 'group' | 'version'>): string =>
  k.group ? `${k.group}/${k.version}` : k.version;

/** Find a kind by URL coordinates: group ('' for core), version, plural resource. */
export function findKind(group: string, version: string, resource: string): ResourceKind | undefined {
  return KINDS.find((k) => k.group === group && k.version === version && k.resource === resource);
}

export function kindByResource(resource: string): ResourceKind {
  const kind = KINDS.find((k) => k.resource === resource);
  if (!kind) throw new Error(`unknown resource ${resource}`);
  return kind;
}
