/**
 * Every name the nodegroup extension and KubeSphere put on the wire, in one place.
 * (confirmed) = from KubeSphere's public source or the NodeGroup CRD; (guide) = spelled by the
 * NodeGroup operations guide (its helper commands are `nodegroup-api`); (model) = this project's model of the
 * nodegroup server, whose source is not public. Align the (model) ones with your server version
 * here; nothing else in the code spells these strings.
 */

/** API group and version of the NodeGroup CRD and its KAPI (confirmed). */
export const NODEGROUP_GROUP = 'infra.kubesphere.io';
export const NODEGROUP_VERSION = 'v1alpha1';
export const NODEGROUP_API_VERSION = `${NODEGROUP_GROUP}/${NODEGROUP_VERSION}`;
export const KAPI_PREFIX = `/kapis/${NODEGROUP_GROUP}/${NODEGROUP_VERSION}`;

/** (guide) Node label naming the node's group. */
export const NODE_GROUP_LABEL = 'apps.edgewize.io/nodegroup';
/** (guide) Label prefix set on the NodeGroup for each bound namespace: `<prefix><ns>=<ns>`. */
export const NAMESPACE_LABEL_PREFIX = 'apps.edgewize.io/namespace-';
/** (guide) Annotation on a bound Workspace / WorkspaceTemplate naming its group. */
export const WORKSPACE_PARENT_ANNOTATION = 'nodegroup.infra.kubesphere.io/parent';
/** (guide) Prefix of the IPPool label/annotation: `<prefix><ng>`. */
export const IPPOOL_PREFIX = 'infra.kubesphere.io/ippool-';
/** (guide) Finalizer the server adds to every NodeGroup. */
export const NODEGROUP_FINALIZER = 'finalizers.nodegroups.kubesphere.io';
/**
 * (model) Scheduling annotation on a bound namespace when `scheduling` is enabled, value
 * `apps.edgewize.io/nodegroup=<ng>`: the key is Kubernetes' PodNodeSelector admission annotation.
 */
export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';
/** (confirmed) The label the Deployment controller puts on a ReplicaSet and its pods. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** (confirmed) KubeSphere's workspace label on namespaces and IPPools. */
export const WORKSPACE_LABEL = 'kubesphere.io/workspace';

/** (model) NodeGroup `status.state` values. */
export const NODEGROUP_STATE = { active: 'active', terminating: 'terminating' } as const;

/** (guide) Where the nodegroup deployment lives; its config's key and sections. */
export const NODEGROUP_NAMESPACE = 'kubesphere-system';
export const NODEGROUP_CONFIGMAP = 'nodegroup-config';
export const NODEGROUP_CONFIG_KEY = 'nodegroup.yaml';
export const NODEGROUP_CONFIG_SECTIONS = ['scheduling', 'policy', 'rbac', 'ippool'] as const;
export type ConfigSection = (typeof NODEGROUP_CONFIG_SECTIONS)[number];
export const NODEGROUP_DEPLOYMENTS = ['nodegroup-apiserver', 'nodegroup-controller-manager'] as const;

/** OAuth client of KubeSphere's console (confirmed). */
export const OAUTH_CLIENT_ID = 'kubesphere';
export const OAUTH_CLIENT_SECRET = 'kubesphere';
export const ACCESS_TOKEN_TTL_SECONDS = 7200;
/** (model) Refresh tokens outlive access tokens: 4 h. */
export const REFRESH_TOKEN_TTL_SECONDS = 4 * 3600;
/** (model) Failed password logins per user within the window before 429 (KubeSphere's auth rate limit). */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_SECONDS = 600;

/** KubeSphere's default admin password (confirmed default of a fresh installation). */
export const DEFAULT_ADMIN_USER = 'admin';
export const DEFAULT_ADMIN_PASSWORD = 'P@88w0rd';
export const READONLY_USER = 'viewer';

/** Kubernetes version the sandbox reports on /version (kubectl's dispatcher picks its minor). */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4' } as const;
/** (model) KubeSphere version reported on /kapis/version. */
export const KUBESPHERE_VERSION = 'v4.1.3';

/** Default in-cluster host of ks-apiserver (guide's helper default). */
export const DEFAULT_KUBESPHERE_HOST = 'http://ks-apiserver.kubesphere-system';
/** (model) Name the sandbox serves as its host cluster in multi-cluster paths. */
export const HOST_CLUSTER = 'host';

/** Token cache of the guide's helper. */
export const TOKEN_CACHE_FILE = '.kubesphere_token';
/** Cache lifetime when the server gives no expires_in (the helper's 5 h). */
export const TOKEN_CACHE_DEFAULT_TTL_SECONDS = 5 * 3600;

/**
 * (model) Where a bind/unbind request records its intent: an annotation on the target object
 * (Node, Namespace or Workspace) naming the group it should belong to, '' for "no group". The
 * KAPI handler writes it; the controller applies it (labels, annotations) and then removes it, so
 * a hand-edited label afterwards is an ordinary edit, not something the controller reverts.
 * While the controller is paused the pending annotation is what an operator sees.
 */
export const DESIRED_NODEGROUP_ANNOTATION = 'nodegroup.infra.kubesphere.io/desired-nodegroup';

/** (model) Name of the IPPool the controller keeps for a group. */
export const ippoolNameOf = (nodegroup: string): string => `${nodegroup}-ippool`;
/** (guide) Label and namespace annotation key of a group's IPPool: `infra.kubesphere.io/ippool-<ng>`. */
export const ippoolKeyOf = (nodegroup: string): string => `${IPPOOL_PREFIX}${nodegroup}`;

/** (model) IPPool CIDR for a group: a stable /24 in 10.233.0.0/16 chosen from the name. */
export function ippoolCidrOf(nodegroup: string): string {
  let hash = 0;
  for (const ch of nodegroup) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.233.${hash % 256}.0/24`;
}

/** (model) `source.component` of the controller's Events, as the Deployment is named. */
export const CONTROLLER_COMPONENT = NODEGROUP_DEPLOYMENTS[1];
/** (model) Condition type on NodeGroup status telling whether the group's IPPool is in sync. */
export const IPPOOL_SYNCED_CONDITION = 'IPPoolSynced';
/** Namespace of Events about cluster-scoped objects (Kubernetes' choice, confirmed). */
export const CLUSTER_EVENTS_NAMESPACE = 'default';

/** (model) Event reasons the controller emits (Normal on success, Warning on failure). */
export const REASONS = {
  nodeBound: 'NodeBound',
  nodeUnbound: 'NodeUnbound',
  nodeBindFailed: 'NodeBindFailed',
  namespaceBound: 'NamespaceBound',
  namespaceUnbound: 'NamespaceUnbound',
  namespaceBindFailed: 'NamespaceBindFailed',
  workspaceBound: 'WorkspaceBound',
  workspaceUnbound: 'WorkspaceUnbound',
  workspaceBindFailed: 'WorkspaceBindFailed',
  ippoolSynced: 'IPPoolSynced',
  ippoolSyncFailed: 'IPPoolSyncFailed',
  ippoolRemoved: 'IPPoolRemoved',
  active: 'Active',
  terminating: 'Terminating',
  nodesStillBound: 'NodesStillBound',
  finalizerRemoved: 'FinalizerRemoved',
  configInvalid: 'ConfigInvalid',
  configApplied: 'ConfigApplied',
} as const;

/** (model) Message of the controller's bound events: "<Kind> <name> bound to nodegroup <ng>". */
export const boundMessage = (
  kind: 'Node' | 'Namespace' | 'Workspace',
  name: string,
  nodegroup: string,
): string => `${kind} ${name} bound to nodegroup ${nodegroup}`;
/** Reads the group back from a boundMessage. */
export const BOUND_MESSAGE_GROUP = /bound to nodegroup (\S+)$/;
