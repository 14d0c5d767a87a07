/**
 * Reconcile one Node, Namespace or Workspace: apply the binding intent the KAPI left on it
 * (DESIRED_NODEGROUP_ANNOTATION), then drop the intent. Also binds namespaces that join a bound
 * workspace later. Called by the controller's work queue only, never by an HTTP handler.
 */
import {
  boundMessage,
  DESIRED_NODEGROUP_ANNOTATION,
  IPPOOL_PREFIX,
  ippoolKeyOf,
  ippoolNameOf,
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
  REASONS,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from '../../constants';
import type { NodegroupConfig } from '../../nodegroup-config';
import type { Faults } from '../faults/registry';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';
import type { EventRecorder } from './events';

export interface ReconcileContext {
  store: ObjectStore;
  events: EventRecorder;
  config: NodegroupConfig;
  faults?: Faults;
  /** Ask for a reconcile of another key (e.g. `nodegroup/<name>`). */
  enqueue(key: string): void;
}

/** A group that can take new bindings: it exists and is not being deleted. */
export function groupAccepts(store: ObjectStore, group: string): KubeObject | undefined {
  if (!store.has('nodegroups', undefined, group)) return undefined;
  const ng = store.get('nodegroups', undefined, group);
  return ng.metadata.deletionTimestamp ? undefined : ng;
}

const refusal = (group: string) => `nodegroup "${group}" does not exist or is being deleted`;

export function reconcileNode(rc: ReconcileContext, name: string): void {
  const { store, events } = rc;
  if (!store.has('nodes', undefined, name)) return;
  const node = store.get('nodes', undefined, name);
  const desired = node.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (desired === undefined) return;
  const current = node.metadata.labels?.[NODE_GROUP_LABEL];
  const group = desired === '' ? undefined : groupAccepts(store, desired);
  const written = store.mutate('nodes', undefined, name, (n) => {
    delete n.metadata.annotations![DESIRED_NODEGROUP_ANNOTATION];
    n.metadata.labels ??= {};
    if (group) n.metadata.labels[NODE_GROUP_LABEL] = desired;
    else if (desired === '') delete n.metadata.labels[NODE_GROUP_LABEL];
  });
  if (desired !== '' && !group) {
    events.record('nodes', written, 'Warning', REASONS.nodeBindFailed, `cannot bind to ${refusal(desired)}`);
    return;
  }
  if (current && current !== desired) {
    const left = desired ? `moved to nodegroup ${desired}` : 'unbound';
    events.record('nodes', written, 'Normal', REASONS.nodeUnbound, `Node ${name} left nodegroup ${current}`);
    recordOnGroup(rc, current, 'Normal', REASONS.nodeUnbound, `Node ${name} ${left}`);
    rc.enqueue(`nodegroup/${current}`); // a group being deleted may now finish
  }
  if (group && current !== desired) {
    events.record('nodes', written, 'Normal', REASONS.nodeBound, boundMessage('Node', name, desired));
    events.record('nodegroups', group, 'Normal', REASONS.nodeBound, `Node ${name} bound`);
  }
}

function recordOnGroup(
  rc: ReconcileContext,
  group: string,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
) {
  if (rc.store.has('nodegroups', undefined, group))
    rc.events.record('nodegroups', rc.store.get('nodegroups', undefined, group), type, reason, message);
}

/** Scheduling and IPPool annotations of a namespace bound to `group` (or of an unbound one). */
export function syncNamespaceAnnotations(
  rc: ReconcileContext,
  ns: KubeObject,
  group: string | undefined,
): void {
  ns.metadata.annotations ??= {};
  const annotations = ns.metadata.annotations;
  const selector = annotations[NODE_SELECTOR_ANNOTATION];
  if (group && rc.config.scheduling) annotations[NODE_SELECTOR_ANNOTATION] = `${NODE_GROUP_LABEL}=${group}`;
  else if (selector?.startsWith(`${NODE_GROUP_LABEL}=`)) delete annotations[NODE_SELECTOR_ANNOTATION];
  if (rc.faults?.blocks({ step: 'sync-ippool', nodegroup: group })) return; // annotations stay as they were
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(IPPOOL_PREFIX) && key !== (group && ippoolKeyOf(group))) delete annotations[key];
  }
  if (group && rc.config.ippool) annotations[ippoolKeyOf(group)] = ippoolNameOf(group);
  else if (group) delete annotations[ippoolKeyOf(group)];
}

/**
 * Bind a namespace to `group` (undefined: unbind), with the group-side label. The group label is
 * written first: when it is refused (invalid) the namespace is left as it was.
 */
export function applyNamespaceBinding(rc: ReconcileContext, name: string, group: string | undefined): void {
  const { store, events } = rc;
  const ns = store.get('namespaces', undefined, name);
  const current = ns.metadata.labels?.[NODE_GROUP_LABEL];
  const groupKey = `${NAMESPACE_LABEL_PREFIX}${name}`;
  try {
    if (group) {
      store.mutate('nodegroups', undefined, group, (g) => {
        if (g.metadata.labels?.[groupKey] === name) return false;
        g.metadata.labels = { ...g.metadata.labels, [groupKey]: name };
      });
    }
  } catch (err) {
    const failed = store.mutate('namespaces', undefined, name, (n) => {
      if (n.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION] === undefined) return false;
      delete n.metadata.annotations[DESIRED_NODEGROUP_ANNOTATION];
    });
    const why = `cannot bind to nodegroup ${group}: ${(err as Error).message}`;
    events.record('namespaces', failed, 'Warning', REASONS.namespaceBindFailed, why);
    return;
  }
  const written = store.mutate('namespaces', undefined, name, (n) => {
    delete n.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
    n.metadata.labels ??= {};
    if (group) n.metadata.labels[NODE_GROUP_LABEL] = group;
    else delete n.metadata.labels[NODE_GROUP_LABEL];
    syncNamespaceAnnotations(rc, n, group);
  });
  if (current && current !== group && store.has('nodegroups', undefined, current)) {
    store.mutate('nodegroups', undefined, current, (g) => {
      if (g.metadata.labels?.[groupKey] === undefined) return false;
      delete g.metadata.labels[groupKey];
    });
    events.record(
      'namespaces',
      written,
      'Normal',
      REASONS.namespaceUnbound,
      `Namespace ${name} left nodegroup ${current}`,
    );
    recordOnGroup(rc, current, 'Normal', REASONS.namespaceUnbound, `Namespace ${name} unbound`);
  }
  if (group && current !== group) {
    events.record(
      'namespaces',
      written,
      'Normal',
      REASONS.namespaceBound,
      boundMessage('Namespace', name, group),
    );
    recordOnGroup(rc, group, 'Normal', REASONS.namespaceBound, `Namespace ${name} bound`);
  }
}

export function reconcileNamespace(rc: ReconcileContext, name: string, workspaceChanged: boolean): void {
  const { store, events } = rc;
  if (!store.has('namespaces', undefined, name)) return;
  const ns = store.get('namespaces', undefined, name);
  const desired = ns.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (desired !== undefined) {
    if (desired === '' || groupAccepts(store, desired)) {
      applyNamespaceBinding(rc, name, desired || undefined);
      return;
    }
    const written = store.mutate('namespaces', undefined, name, (n) => {
      delete n.metadata.annotations![DESIRED_NODEGROUP_ANNOTATION];
    });
    events.record(
      'namespaces',
      written,
      'Warning',
      REASONS.namespaceBindFailed,
      `cannot bind to ${refusal(desired)}`,
    );
    return;
  }
  // A namespace that joins a bound workspace is bound to the workspace's group.
  const workspace = ns.metadata.labels?.[WORKSPACE_LABEL];
  if (!workspaceChanged || !workspace || !store.has('workspaces', undefined, workspace)) return;
  const group = store.get('workspaces', undefined, workspace).metadata.annotations?.[
    WORKSPACE_PARENT_ANNOTATION
  ];
  if (group && ns.metadata.labels?.[NODE_GROUP_LABEL] !== group && groupAccepts(store, group)) {
    applyNamespaceBinding(rc, name, group);
  }
}

/** Set or remove the parent annotation on a Workspace and its WorkspaceTemplate. */
export function setWorkspaceParent(store: ObjectStore, name: string, group: string | undefined): KubeObject {
  const change = (w: KubeObject) => {
    delete w.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
    w.metadata.annotations ??= {};
    if (group) w.metadata.annotations[WORKSPACE_PARENT_ANNOTATION] = group;
    else delete w.metadata.annotations[WORKSPACE_PARENT_ANNOTATION];
  };
  if (store.has('workspacetemplates', undefined, name))
    store.mutate('workspacetemplates', undefined, name, change);
  return store.mutate('workspaces', undefined, name, change);
}

export function reconcileWorkspace(rc: ReconcileContext, name: string): void {
  const { store, events } = rc;
  if (!store.has('workspaces', undefined, name)) return;
  const ws = store.get('workspaces', undefined, name);
  const desired = ws.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (desired === undefined) return;
  const current = ws.metadata.annotations?.[WORKSPACE_PARENT_ANNOTATION];
  if (desired !== '' && !groupAccepts(store, desired)) {
    const written = setWorkspaceParent(store, name, current);
    events.record(
      'workspaces',
      written,
      'Warning',
      REASONS.workspaceBindFailed,
      `cannot bind to ${refusal(desired)}`,
    );
    return;
  }
  const group = desired || undefined;
  const written = setWorkspaceParent(store, name, group);
  const members = store.list('namespaces', { labelSelector: `${WORKSPACE_LABEL}=${name}` }).items;
  for (const ns of members) {
    const bound = ns.metadata.labels?.[NODE_GROUP_LABEL];
    if (group && bound !== group) applyNamespaceBinding(rc, ns.metadata.name!, group);
    if (!group && current && bound === current) applyNamespaceBinding(rc, ns.metadata.name!, undefined);
  }
  if (current && current !== group) {
    events.record(
      'workspaces',
      written,
      'Normal',
      REASONS.workspaceUnbound,
      `Workspace ${name} left nodegroup ${current}`,
    );
    recordOnGroup(rc, current, 'Normal', REASONS.workspaceUnbound, `Workspace ${name} unbound`);
    rc.enqueue(`nodegroup/${current}`); // its IPPool's workspace label follows
  }
  if (group && current !== group) {
    events.record(
      'workspaces',
      written,
      'Normal',
      REASONS.workspaceBound,
      boundMessage('Workspace', name, group),
    );
    recordOnGroup(rc, group, 'Normal', REASONS.workspaceBound, `Workspace ${name} bound`);
  }
  if (group) rc.enqueue(`nodegroup/${group}`);
}
