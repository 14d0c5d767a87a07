/**
 * Reconcile one NodeGroup: finalizer and `status.state`, its IPPool (when `ippool` is enabled),
 * the config-dependent annotations of its namespaces, and deletion (bindings removed, then the
 * finalizer, which stays while a node still carries the group's label).
 */

import { bindingKindSpecs, groupOfTarget } from '../../binding-kinds';
import {
  IPPOOL_SYNCED_CONDITION,
  ippoolCidrOf,
  ippoolKeyOf,
  ippoolNameOf,
  NODEGROUP_FINALIZER,
  NODEGROUP_STATE,
  REASONS,
  WORKSPACE_LABEL,
} from '../../constants';
import type { KubeObject } from '../store/object';
import { applyBinding, type ReconcileContext, syncPlacement } from './reconcile-target';

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Set (or, with `undefined`, remove) the IPPoolSynced condition; no write when nothing changes. */
function setSyncedCondition(
  rc: ReconcileContext,
  group: string,
  next: Omit<Condition, 'type'> | undefined,
): void {
  rc.store.mutate('nodegroups', undefined, group, (ng) => {
    ng.status ??= {};
    const status = ng.status as { conditions?: Condition[] };
    const others = (status.conditions ?? []).filter((c) => c.type !== IPPOOL_SYNCED_CONDITION);
    const old = status.conditions?.find((c) => c.type === IPPOOL_SYNCED_CONDITION);
    if (!next) {
      if (!old) return false;
      status.conditions = others;
      return;
    }
    if (old && old.status === next.status && old.reason === next.reason && old.message === next.message)
      return false;
    const at = old?.status === next.status ? old.lastTransitionTime : now();
    status.conditions = [...others, { type: IPPOOL_SYNCED_CONDITION, ...next, lastTransitionTime: at }];
  });
}

function deleteIPPool(rc: ReconcileContext, ng: KubeObject): void {
  const name = ippoolNameOf(ng.metadata.name!);
  if (!rc.store.has('ippools', undefined, name)) return;
  rc.store.delete('ippools', undefined, name);
  rc.events.record('nodegroups', ng, 'Normal', REASONS.ippoolRemoved, `IPPool ${name} removed`);
}

function syncIPPool(rc: ReconcileContext, ng: KubeObject): void {
  const { store } = rc;
  const group = ng.metadata.name!;
  const name = ippoolNameOf(group);
  if (!rc.config.ippool) {
    deleteIPPool(rc, ng);
    setSyncedCondition(rc, group, undefined);
    return;
  }
  if (rc.faults?.blocks({ step: 'sync-ippool', nodegroup: group })) {
    const message = `failed to sync IPPool ${name}: the IPPool update was rejected by network.kubesphere.io`;
    setSyncedCondition(rc, group, { status: 'False', reason: REASONS.ippoolSyncFailed, message });
    rc.events.record('nodegroups', ng, 'Warning', REASONS.ippoolSyncFailed, message);
    return;
  }
  const workspaces = store
    .list('workspaces')
    .items.filter((w) => groupOfTarget('workspace', w) === group)
    .map((w) => w.metadata.name!)
    .sort();
  const labels = (pool: KubeObject) => {
    pool.metadata.labels ??= {};
    const out = pool.metadata.labels;
    out[ippoolKeyOf(group)] = group;
    // A label holds one value: with several workspaces bound, the first by name (model).
    if (workspaces[0]) out[WORKSPACE_LABEL] = workspaces[0];
    else delete out[WORKSPACE_LABEL];
  };
  if (!store.has('ippools', undefined, name)) {
    const pool: KubeObject = {
      metadata: { name },
      spec: { type: 'calico', cidr: ippoolCidrOf(group), blockSize: 26 },
    };
    labels(pool);
    store.create('ippools', pool);
    rc.events.record('nodegroups', ng, 'Normal', REASONS.ippoolSynced, `IPPool ${name} created`);
  } else store.mutate('ippools', undefined, name, labels);
  setSyncedCondition(rc, group, {
    status: 'True',
    reason: REASONS.ippoolSynced,
    message: `IPPool ${name} is in sync`,
  });
}

/** Placement annotations of the group's targets follow the config; group-side labels follow the targets. */
function syncTargets(rc: ReconcileContext, ng: KubeObject): void {
  const group = ng.metadata.name!;
  for (const spec of bindingKindSpecs()) {
    const { placement, groupLabelPrefix: prefix } = spec.binding;
    if (!placement && !prefix) continue;
    const bound = rc.store.list(spec.resource).items.filter((t) => groupOfTarget(spec.kind, t) === group);
    if (placement)
      for (const t of bound)
        rc.store.mutate(spec.resource, undefined, t.metadata.name!, (n) => syncPlacement(rc, n, group));
    if (!prefix) continue;
    const names = new Set(bound.map((t) => t.metadata.name!));
    rc.store.mutate('nodegroups', undefined, group, (g) => {
      const labels = { ...g.metadata.labels };
      let changed = false;
      for (const key of Object.keys(labels)) {
        if (key.startsWith(prefix) && !names.has(labels[key]!)) {
          delete labels[key];
          changed = true;
        }
      }
      for (const name of names) {
        if (labels[`${prefix}${name}`] !== name) {
          labels[`${prefix}${name}`] = name;
          changed = true;
        }
      }
      if (!changed) return false;
      if (Object.keys(labels).length) g.metadata.labels = labels;
      else delete g.metadata.labels;
    });
  }
}

function finalize(rc: ReconcileContext, ng: KubeObject): void {
  const { store, events } = rc;
  const group = ng.metadata.name!;
  if ((ng.status as { state?: string } | undefined)?.state !== NODEGROUP_STATE.terminating) {
    ng = store.mutate('nodegroups', undefined, group, (g) => {
      g.status = { ...(g.status as object), state: NODEGROUP_STATE.terminating };
    });
    events.record('nodegroups', ng, 'Normal', REASONS.terminating, `NodeGroup ${group} is being deleted`);
  }
  const waiting = new Map<string, string[]>();
  for (const spec of bindingKindSpecs()) {
    for (const target of store.list(spec.resource).items) {
      if (groupOfTarget(spec.kind, target) !== group) continue;
      if (spec.binding.releasedOnDelete) applyBinding(rc, spec, target.metadata.name!);
      else waiting.set(spec.kind, [...(waiting.get(spec.kind) ?? []), target.metadata.name!]);
    }
  }
  deleteIPPool(rc, ng);
  ng = store.get('nodegroups', undefined, group);
  if (waiting.size) {
    const counts = [...waiting].map(([kind, names]) => `${names.length} ${kind}(s)`).join(' and ');
    const names = [...waiting.values()].flat().join(', ');
    const message = `waiting for ${counts} to be unbound before removing finalizer ${NODEGROUP_FINALIZER}: ${names}`;
    events.record('nodegroups', ng, 'Warning', REASONS.nodesStillBound, message);
    return;
  }
  if (rc.faults?.blocks({ step: 'remove-finalizer', nodegroup: group })) return; // as if it never got here
  if (!ng.metadata.finalizers?.includes(NODEGROUP_FINALIZER)) return;
  store.mutate('nodegroups', undefined, group, (g) => {
    g.metadata.finalizers = g.metadata.finalizers!.filter((f) => f !== NODEGROUP_FINALIZER);
  });
  events.record(
    'nodegroups',
    ng,
    'Normal',
    REASONS.finalizerRemoved,
    `bindings removed; finalizer ${NODEGROUP_FINALIZER} removed`,
  );
}

export function reconcileNodegroup(rc: ReconcileContext, group: string): void {
  const { store, events } = rc;
  if (!store.has('nodegroups', undefined, group)) {
    // Gone without the controller (finalizer removed by hand): its IPPool goes too.
    const pool = ippoolNameOf(group);
    if (
      store.has('ippools', undefined, pool) &&
      store.get('ippools', undefined, pool).metadata.labels?.[ippoolKeyOf(group)] === group
    ) {
      store.delete('ippools', undefined, pool);
    }
    return;
  }
  let ng = store.get('nodegroups', undefined, group);
  if (ng.metadata.deletionTimestamp) {
    finalize(rc, ng);
    return;
  }
  const wasActive = (ng.status as { state?: string } | undefined)?.state === NODEGROUP_STATE.active;
  ng = store.mutate('nodegroups', undefined, group, (g) => {
    const hasFinalizer = g.metadata.finalizers?.includes(NODEGROUP_FINALIZER);
    if (hasFinalizer && wasActive) return false;
    if (!hasFinalizer) g.metadata.finalizers = [...(g.metadata.finalizers ?? []), NODEGROUP_FINALIZER];
    g.status = { ...(g.status as object), state: NODEGROUP_STATE.active };
  });
  if (!wasActive) events.record('nodegroups', ng, 'Normal', REASONS.active, `NodeGroup ${group} is active`);
  syncIPPool(rc, ng);
  syncTargets(rc, ng);
}
