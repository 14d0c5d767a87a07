/**
 * Every name the nodegroup extension and KubeSphere put on the wire, in one place.
 * (confirmed) = from KubeSphere's public source or the NodeGroup CRD; (model) = this project's
 * model of the nodegroup server, whose source is not public. Align the (model) ones with your
 * server version here; nothing else in the code spells these strings.
 */

/** API group and version of the NodeGroup CRD and its KAPI (confirmed). */
export const NODEGROUP_GROUP = 'infra.kubesphere.io';
export const NODEGROUP_VERSION = 'v1alpha1';
export const NODEGROUP_API_VERSION = `${NODEGROUP_GROUP}/${NODEGROUP_VERSION}`;
export const KAPI_PREFIX = `/kapis/${NODEGROUP_GROUP}/${NODEGROUP_VERSION}`;

/** Node label naming the node's group (guide, confirmed constant name). */
export const NODE_GROUP_LABEL = 'apps.edgewize.io/nodegroup';
/** Label prefix set on the NodeGroup for each bound namespace: `<prefix><ns>=<ns>` (guide). */
export const NAMESPACE_LABEL_PREFIX = 'apps.edgewize.io/namespace-';
/** Annotation on a bound Workspace / WorkspaceTemplate naming its group (guide). */
export const WORKSPACE_PARENT_ANNOTATION = 'nodegroup.infra.kubesphere.io/parent';
/** Prefix of the IPPool label/annotation: `<prefix><ng>` (guide). */
export const IPPOOL_PREFIX = 'infra.kubesphere.io/ippool-';
/** Finalizer the server adds to every NodeGroup (guide). */
export const NODEGROUP_FINALIZER = 'finalizers.nodegroups.kubesphere.io';
/** Scheduling annotation on a bound namespace when `scheduling` is enabled (Kubernetes' PodNodeSelector). */
export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';
/** KubeSphere's workspace label on namespaces and IPPools (confirmed). */
export const WORKSPACE_LABEL = 'kubesphere.io/workspace';

/** NodeGroup `status.state` values (model). */
export const NODEGROUP_STATE = { active: 'active', terminating: 'terminating' } as const;

/** Where the nodegroup deployment lives (guide). */
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
/** Refresh tokens outlive access tokens (model: KubeSphere's default is access + 2h... kept simple). */
export const REFRESH_TOKEN_TTL_SECONDS = 4 * 3600;
/** Failed password logins per user within the window before 429 (model of KubeSphere's auth rate limit). */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_SECONDS = 600;

/** KubeSphere's default admin password (confirmed default of a fresh installation). */
export const DEFAULT_ADMIN_USER = 'admin';
export const DEFAULT_ADMIN_PASSWORD = 'P@88w0rd';
export const READONLY_USER = 'viewer';

/** Kubernetes version the sandbox reports on /version (kubectl's dispatcher picks its minor). */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4' } as const;
/** KubeSphere version reported on /kapis/version (model). */
export const KUBESPHERE_VERSION = 'v4.1.3';

/** Default in-cluster host of ks-apiserver (guide's helper default). */
export const DEFAULT_KUBESPHERE_HOST = 'http://ks-apiserver.kubesphere-system';
/** Name the sandbox serves as its host cluster in multi-cluster paths (model). */
export const HOST_CLUSTER = 'host';

/** Token cache of the guide's helper. */
export const TOKEN_CACHE_FILE = '.kubesphere_token';
/** Cache lifetime when the server gives no expires_in (the helper's 5 h). */
export const TOKEN_CACHE_DEFAULT_TTL_SECONDS = 5 * 3600;
