/**
 * Reconcile one binding target (a Node, Namespace, Workspace: any kind of the binding-kind table):
 * apply the binding intent the KAPI left on it (DESIRED_NODEGROUP_ANNOTATION), then drop the
 * intent. What a binding writes comes from the table entry: the mark, the group-side label, the
 * placement annotations, the mirrored objects, the member targets. Called by the controller's
 * work queue only, never by an HTTP handler.
 */
import { type BindingKindSpec, bindingKind, bindingKindSpecs, groupOfTarget } from '../../binding-kinds';
import {
  boundMessage,
  DESIRED_NODEGROUP_ANNOTATION,
  IPPOOL_PREFIX,
  ippoolKeyOf,
  ippoolNameOf,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
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

/** Scheduling and IPPool annotations of a placed target bound to `group` (or of an unbound one). */
export function syncPlacement(rc: ReconcileContext, obj: KubeObject, group: string | undefined): void {
  obj.metadata.annotations ??= {};
  const annotations = obj.metadata.annotations;
  const selector = annotations[NODE_SELECTOR_ANNOTATION];
  if (group && rc.config.scheduling) annotations[NODE_SELECTOR_ANNOTATION] = `${NODE_GROUP_LABEL}=${group}`;
  else if (selector?.startsWith(`${NODE_GROUP_LABEL}=`)) delete annotations[NODE_SELECTOR_ANNOTATION];
  if (rc.faults?.blocks({ step: 'sync-ippool', nodegroup: group })) return; // annotations stay as they were
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(IPPOOL_PREFIX) && key !== (group && ippoolKeyOf(group))) delete annotations[key];
  }
  if (group && rc.config.ippool) annotations[ippoolKeyOf(group)] = ippoolNameOf(group);
  else if (group) delete annotations[ippoolKeyOf(group)];
  if (Object.keys(annotations).length === 0) delete obj.metadata.annotations;
}

function writeMark(spec: BindingKindSpec, obj: KubeObject, group: string | undefined): void {
  if (obj.metadata.annotations) {
    delete obj.metadata.annotations[DESIRED_NODEGROUP_ANNOTATION];
  }
  const field = spec.mark.on === 'label' ? 'labels' : 'annotations';
  const map = { ...obj.metadata[field] };
  if (group) map[spec.mark.key] = group;
  else delete map[spec.mark.key];
  if (Object.keys(map).length) obj.metadata[field] = map;
  else delete obj.metadata[field];
  if (obj.metadata.annotations && Object.keys(obj.metadata.annotations).length === 0)
    delete obj.metadata.annotations;
}

const dropIntent = (rc: ReconcileContext, spec: BindingKindSpec, name: string) =>
  rc.store.mutate(spec.resource, undefined, name, (o) => {
    if (o.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION] === undefined) return false;
    delete o.metadata.annotations[DESIRED_NODEGROUP_ANNOTATION];
    if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  });

function setGroupLabel(rc: ReconcileContext, prefix: string, group: string, name: string, on: boolean) {
  const key = `${prefix}${name}`;
  rc.store.mutate('nodegroups', undefined, group, (g) => {
    if (on ? g.metadata.labels?.[key] === name : g.metadata.labels?.[key] === undefined) return false;
    const labels = { ...g.metadata.labels };
    if (on) labels[key] = name;
    else delete labels[key];
    if (Object.keys(labels).length) g.metadata.labels = labels;
    else delete g.metadata.labels;
  });
}

/**
 * Bind a target to `group` (undefined: unbind) with everything its kind writes. A group-side label
 * is written first: when it is refused (invalid) the target is left as it was.
 */
export function applyBinding(
  rc: ReconcileContext,
  spec: BindingKindSpec,
  name: string,
  group?: string,
): void {
  const { store, events } = rc;
  const { binding, targetKind, reasons } = spec;
  const current = groupOfTarget(spec.kind, store.get(spec.resource, undefined, name));
  try {
    if (group && binding.groupLabelPrefix) setGroupLabel(rc, binding.groupLabelPrefix, group, name, true);
  } catch (err) {
    const why = `cannot bind to nodegroup ${group}: ${(err as Error).message}`;
    events.record(spec.resource, dropIntent(rc, spec, name), 'Warning', reasons.bindFailed, why);
    return;
  }
  for (const mirror of binding.mirrors ?? [])
    if (store.has(mirror, undefined, name))
      store.mutate(mirror, undefined, name, (o) => writeMark(spec, o, group));
  const written = store.mutate(spec.resource, undefined, name, (o) => {
    writeMark(spec, o, group);
    if (binding.placement) syncPlacement(rc, o, group);
  });
  if (binding.members) {
    const member = bindingKind(binding.members.kind);
    const selector = `${binding.members.label}=${name}`;
    for (const m of store.list(member.resource, { labelSelector: selector }).items) {
      const bound = groupOfTarget(member.kind, m);
      if ((group && bound !== group) || (!group && current && bound === current))
        applyBinding(rc, member, m.metadata.name!, group);
    }
  }
  if (current && current !== group) {
    if (binding.groupLabelPrefix && store.has('nodegroups', undefined, current))
      setGroupLabel(rc, binding.groupLabelPrefix, current, name, false);
    const left = `${targetKind} ${name} left nodegroup ${current}`;
    events.record(spec.resource, written, 'Normal', reasons.unbound, left);
    const moved = group ? `moved to nodegroup ${group}` : 'unbound';
    recordOnGroup(rc, current, 'Normal', reasons.unbound, `${targetKind} ${name} ${moved}`);
    rc.enqueue(`nodegroup/${current}`); // a group being deleted may now finish; its IPPool follows
  }
  if (group && current !== group) {
    events.record(
      spec.resource,
      written,
      'Normal',
      reasons.bound,
      boundMessage(targetKind as Parameters<typeof boundMessage>[0], name, group),
    );
    recordOnGroup(rc, group, 'Normal', reasons.bound, `${targetKind} ${name} bound`);
  }
  if (group) rc.enqueue(`nodegroup/${group}`);
}

/** The group a target is bound to through a container it is a member of (a workspace's namespace). */
function groupThroughMembership(store: ObjectStore, spec: BindingKindSpec, obj: KubeObject) {
  for (const container of bindingKindSpecs()) {
    const members = container.binding.members;
    if (!members || members.kind !== spec.kind) continue;
    const of = obj.metadata.labels?.[members.label];
    if (!of || !store.has(container.resource, undefined, of)) continue;
    const group = groupOfTarget(container.kind, store.get(container.resource, undefined, of));
    if (group) return group;
  }
  return undefined;
}

/**
 * Reconcile a target: apply its pending intent, or, when it `joined` a container (a namespace
 * labelled into a bound workspace), bind it to the container's group.
 */
export function reconcileTarget(rc: ReconcileContext, kind: string, name: string, joined: boolean): void {
  const { store, events } = rc;
  const spec = bindingKind(kind);
  if (!store.has(spec.resource, undefined, name)) return;
  const obj = store.get(spec.resource, undefined, name);
  const desired = obj.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (desired === undefined) {
    if (!joined) return;
    const group = groupThroughMembership(store, spec, obj);
    if (group && groupOfTarget(kind, obj) !== group && groupAccepts(store, group))
      applyBinding(rc, spec, name, group);
    return;
  }
  if (desired !== '' && !groupAccepts(store, desired)) {
    for (const mirror of spec.binding.mirrors ?? [])
      if (store.has(mirror, undefined, name)) dropIntent(rc, { ...spec, resource: mirror }, name);
    const written = dropIntent(rc, spec, name);
    events.record(
      spec.resource,
      written,
      'Warning',
      spec.reasons.bindFailed,
      `cannot bind to ${refusal(desired)}`,
    );
    return;
  }
  applyBinding(rc, spec, name, desired || undefined);
}
