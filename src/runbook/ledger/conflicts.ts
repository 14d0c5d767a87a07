/**
 * Before `revert` writes anything: has someone else changed an object since the run changed it?
 * For each object, the run's last change says what the run left (a target in a group, a group's
 * spec fields, a group gone); the object now is compared with that and with the state the change
 * was made from (a killed run may have ledgered a change it never sent). Neither: a conflict,
 * naming the object and what changed; revert refuses them all unless `--force`.
 */
import type { Action } from '../../actions/types';
import { BINDING_KINDS, groupOfTarget } from '../../binding-kinds';
import { sameJson } from '../same';
import type { LedgerEntry } from './ledger';
import type { UndoTools } from './undo';

export interface Conflict {
  /** `node worker-1`, `nodegroup edge-site-1`. */
  object: string;
  /** What changed since the run: `in nodegroup other (the run left it in edge-site-1)`. */
  changed: string;
}

const objectOf = (c: Action): string | undefined => {
  if (c.op === 'bind' || c.op === 'unbind') return `${c.kind} ${c.target}`;
  if (c.op === 'create-nodegroup' || c.op === 'patch-nodegroup' || c.op === 'delete-nodegroup')
    return `nodegroup ${c.name}`;
  return undefined;
};

const show = (group: string | undefined) => (group ? `in nodegroup ${group}` : 'in no nodegroup');

/** The spec fields the run set on a group, folded over its entries in order. */
function specLeft(entries: readonly LedgerEntry[], name: string): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const { change: c } of entries)
    if ((c.op === 'create-nodegroup' || c.op === 'patch-nodegroup') && c.name === name && c.spec)
      for (const [k, v] of Object.entries(c.spec)) if (v !== undefined) spec[k] = v;
  return spec;
}

/** Conflicts of the pending entries (newest first) with the objects as they are now. */
export async function findConflicts(
  tools: UndoTools,
  pending: readonly LedgerEntry[],
  all: readonly LedgerEntry[],
): Promise<Conflict[]> {
  const seen = new Set<string>();
  const conflicts: Conflict[] = [];
  for (const entry of pending) {
    const c = entry.change;
    const object = objectOf(c);
    // Only the run's last change of an object says what the run left on it.
    if (!object || seen.has(object)) continue;
    seen.add(object);
    const changed = await changedSince(tools, c, all);
    if (changed) conflicts.push({ object, changed });
  }
  return conflicts;
}

async function changedSince(
  tools: UndoTools,
  c: Action,
  all: readonly LedgerEntry[],
): Promise<string | undefined> {
  const { verifier } = tools;
  if (c.op === 'bind' || c.op === 'unbind') {
    const left = c.op === 'bind' ? c.group : c.before === c.group ? undefined : c.before;
    const obj = await verifier.get(c.kind, c.target);
    if (!obj) return 'deleted since the run';
    const now = groupOfTarget(c.kind, obj);
    // As before the change is no conflict either: a killed run ledgers a change before sending it.
    return now === left || now === c.before ? undefined : `now ${show(now)} (the run left it ${show(left)})`;
  }
  if (c.op === 'create-nodegroup' || c.op === 'patch-nodegroup') {
    const group = await verifier.get('nodegroup', c.name);
    if (!group || group.metadata.deletionTimestamp)
      return c.op === 'create-nodegroup' ? undefined : 'deleted since the run';
    const spec = (group['spec'] as Record<string, unknown> | undefined) ?? {};
    const before = c.op === 'patch-nodegroup' ? (c.before?.spec ?? {}) : {};
    const fields = Object.entries(specLeft(all, c.name))
      .filter(
        ([k, v]) => !sameJson(spec[k], v) && !(c.op === 'patch-nodegroup' && sameJson(spec[k], before[k])),
      )
      .map(([k, v]) => `spec.${k} is now ${JSON.stringify(spec[k])} (the run left ${JSON.stringify(v)})`);
    // Targets someone else bound to the run's group: undoing its creation would unbind them.
    if (all.some((e) => e.change.op === 'create-nodegroup' && e.change.name === c.name))
      fields.push(...(await boundBySomeoneElse(tools, c.name, all)));
    return fields.length ? fields.join('; ') : undefined;
  }
  if (c.op === 'delete-nodegroup') {
    const group = await verifier.get('nodegroup', c.name);
    return group && !group.metadata.deletionTimestamp ? 'created again since the run deleted it' : undefined;
  }
  return undefined;
}

/** Targets in `group` now that no entry of the run bound there. */
async function boundBySomeoneElse(
  tools: UndoTools,
  group: string,
  all: readonly LedgerEntry[],
): Promise<string[]> {
  const out: string[] = [];
  for (const kind of BINDING_KINDS) {
    const ours = new Set(
      all.flatMap((e) =>
        e.change.op === 'bind' && e.change.kind === kind && e.change.group === group ? [e.change.target] : [],
      ),
    );
    for (const o of await tools.verifier.list(kind))
      if (groupOfTarget(kind, o) === group && !ours.has(o.metadata.name!))
        out.push(`${kind} ${o.metadata.name} was bound to it since the run (revert would unbind it)`);
  }
  return out;
}
