/**
 * Bind and unbind targets of any binding kind through the KAPI (the guide's API-first rule), in
 * the safe flow: the target's group before, the action, the target's group after (by its mark).
 */
import { type BindingKind, bindingKind, describeMark, groupOfTarget } from '../../binding-kinds';
import type { KubeObject } from '../../kube/reader';
import type { Flow } from '../flow/flow';
import { guardBind, guardUnbind } from '../flow/guardrails';
import { seenOf } from '../ledger/seen';

/** Inspect: the target (before snapshot) and the group it is in now. */
export async function inspectTarget(flow: Flow, kind: BindingKind, target: string) {
  const before = await flow.inspect(kind, target);
  return { before, previous: groupOfTarget(kind, before) };
}

/** Bindings recorded on the group change it too (its labels): evidence as well. */
async function inspectGroup(flow: Flow, label: 'before' | 'after', kind: BindingKind, group: string) {
  if (bindingKind(kind).binding.groupLabelPrefix === undefined) return;
  flow.snapshot(label, 'nodegroup', group, await flow.get('nodegroup', group));
}

export async function bind(flow: Flow, kind: BindingKind, group: string, target: string) {
  const { before, previous } = await inspectTarget(flow, kind, target);
  guardBind(flow.guardTarget, [{ kind, group, target, ...(previous ? { current: previous } : {}) }]);
  await inspectGroup(flow, 'before', kind, group);
  await flow.act(
    { op: 'bind', kind, group, target, ...(previous ? { before: previous } : {}) },
    undefined,
    seenOf(kind, before, target),
  );
  const after = await verifyGroup(flow, kind, target, group);
  await inspectGroup(flow, 'after', kind, group);
  return after;
}

export async function unbind(flow: Flow, kind: BindingKind, group: string, target: string) {
  const { before, previous } = await inspectTarget(flow, kind, target);
  guardUnbind(flow.guardTarget, [{ kind, group, target, ...(previous ? { current: previous } : {}) }]);
  await inspectGroup(flow, 'before', kind, group);
  await flow.act(
    { op: 'unbind', kind, group, target, ...(previous ? { before: previous } : {}) },
    undefined,
    seenOf(kind, before, target),
  );
  // Unbinding a target of another group leaves it there (the server unbinds only its own).
  const after = await verifyGroup(flow, kind, target, previous === group ? undefined : previous);
  await inspectGroup(flow, 'after', kind, group);
  return after;
}

/** Wait until the target shows `group` by its mark (undefined: no group). */
export function verifyGroup(
  flow: Flow,
  kind: BindingKind,
  target: string,
  group: string | undefined,
): Promise<KubeObject | undefined> {
  const description = group
    ? `${kind} ${target} with ${describeMark(kind)}=${group}`
    : `${kind} ${target} without ${describeMark(kind)}`;
  const { mark } = bindingKind(kind);
  const field = ['metadata', mark.on === 'label' ? 'labels' : 'annotations', mark.key];
  return flow.until(
    { resource: kind, name: target, description, field },
    (o) =>
      group === undefined
        ? o !== undefined && groupOfTarget(kind, o) === undefined
        : groupOfTarget(kind, o) === group,
    { after: true },
  );
}
