/** The Kubernetes resources the runbooks read, by the names an operator uses. */
import { NODEGROUP_API_VERSION } from '../constants';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** URL plural. */
  plural: string;
  namespaced: boolean;
  /** A path before `/api` or `/apis`: `/clusters/{member}` reaches a member through the host. */
  pathPrefix?: string;
}

const ref = (apiVersion: string, kind: string, plural: string, namespaced = false): ResourceRef => ({
  apiVersion,
  kind,
  plural,
  namespaced,
});

export const RESOURCES = {
  node: ref('v1', 'Node', 'nodes'),
  namespace: ref('v1', 'Namespace', 'namespaces'),
  configmap: ref('v1', 'ConfigMap', 'configmaps', true),
  pod: ref('v1', 'Pod', 'pods', true),
  event: ref('v1', 'Event', 'events', true),
  deployment: ref('apps/v1', 'Deployment', 'deployments', true),
  nodegroup: ref(NODEGROUP_API_VERSION, 'NodeGroup', 'nodegroups'),
  workspace: ref('tenant.kubesphere.io/v1alpha1', 'Workspace', 'workspaces'),
  workspacetemplate: ref('tenant.kubesphere.io/v1alpha2', 'WorkspaceTemplate', 'workspacetemplates'),
  ippool: ref('network.kubesphere.io/v1alpha1', 'IPPool', 'ippools'),
} as const;

export type ResourceName = keyof typeof RESOURCES;

/** `/api/v1/nodes`, `/apis/apps/v1/namespaces/ns/deployments`, ... */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const base = `${r.pathPrefix ?? ''}${r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`}`;
  return r.namespaced && namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
