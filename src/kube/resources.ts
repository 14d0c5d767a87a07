/** The Kubernetes resources the runbooks read, by the names an operator uses. */
import {
  apiVersionOf,
  BINDING_KIND_TABLE,
  type BindingKind,
  type BindingKindSpec,
  bindingKind,
  isBindingKind,
} from '../binding-kinds';
import { NODEGROUP_API_VERSION } from '../constants';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** URL plural. */
  plural: string;
  namespaced: boolean;
  /** A path before `/api` or `/apis`: `/clusters/{member}` reaches a member through the host. */
  pathPrefix?: string;
  /**
   * Read with this API group's preferred version from discovery (KubeReader.resolve);
   * `apiVersion` is the fallback when the server has no discovery document for it.
   */
  preferredOf?: string;
}

const ref = (apiVersion: string, kind: string, plural: string, namespaced = false): ResourceRef => ({
  apiVersion,
  kind,
  plural,
  namespaced,
});

/** A binding kind's target (cluster-scoped); its version from discovery when the table says so. */
const targetRef = (k: BindingKindSpec): ResourceRef => ({
  ...ref(apiVersionOf(k), k.targetKind, k.resource),
  ...(k.discoverVersion && k.group ? { preferredOf: k.group } : {}),
});

/** The targets of bindings, from the binding kinds table. */
const BINDING_TARGETS = Object.fromEntries(BINDING_KIND_TABLE.map((k) => [k.kind, targetRef(k)])) as Record<
  BindingKind,
  ResourceRef
>;

export const RESOURCES = {
  ...BINDING_TARGETS,
  configmap: ref('v1', 'ConfigMap', 'configmaps', true),
  pod: ref('v1', 'Pod', 'pods', true),
  event: ref('v1', 'Event', 'events', true),
  deployment: ref('apps/v1', 'Deployment', 'deployments', true),
  nodegroup: ref(NODEGROUP_API_VERSION, 'NodeGroup', 'nodegroups'),
  workspacetemplate: ref('tenant.kubesphere.io/v1alpha2', 'WorkspaceTemplate', 'workspacetemplates'),
  ippool: ref('network.kubesphere.io/v1alpha1', 'IPPool', 'ippools'),
} as const;

export type ResourceName = keyof typeof RESOURCES;

/** The resource of a name: a fixed one, or the target of a binding kind defined at run time. */
export function resourceRef(name: ResourceName | string): ResourceRef {
  const known = (RESOURCES as Record<string, ResourceRef>)[name];
  if (known) return known;
  if (isBindingKind(name)) return targetRef(bindingKind(name));
  throw new TypeError(`unknown resource "${name}"`);
}

/** `/api/v1/nodes`, `/apis/apps/v1/namespaces/ns/deployments`, ... */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const base = `${r.pathPrefix ?? ''}${r.apiVersion.includes('/') ? `/apis/${r.apiVersion}` : `/api/${r.apiVersion}`}`;
  return r.namespaced && namespace ? `${base}/namespaces/${namespace}/${r.plural}` : `${base}/${r.plural}`;
}
