/**
 * (model) choices of the sandbox's nodegroup server that src/constants.ts does not hold yet.
 * They belong in constants.ts (the lead moves them there); nothing else spells these strings.
 */
import { IPPOOL_PREFIX } from '../constants';

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
/** (model) Label and namespace annotation key of a group's IPPool: `infra.kubesphere.io/ippool-<ng>`. */
export const ippoolKeyOf = (nodegroup: string): string => `${IPPOOL_PREFIX}${nodegroup}`;

/** (model) IPPool CIDR for a group: a stable /24 in 10.233.0.0/16 chosen from the name. */
export function ippoolCidrOf(nodegroup: string): string {
  let hash = 0;
  for (const ch of nodegroup) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.233.${hash % 256}.0/24`;
}

/** (model) `source.component` of the controller's Events, as the Deployment is named. */
export const CONTROLLER_COMPONENT = 'nodegroup-controller-manager';
/** (model) Condition type on NodeGroup status telling whether the group's IPPool is in sync. */
export const IPPOOL_SYNCED_CONDITION = 'IPPoolSynced';
/** Namespace of Events about cluster-scoped objects (Kubernetes' choice). */
export const CLUSTER_EVENTS_NAMESPACE = 'default';

/** (model) Event reasons the controller emits. */
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
