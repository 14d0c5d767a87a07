/**
 * What a run changed, from its evidence (reports/runs/<run-id>/evidence-worker-*.json): every
 * object whose state before a step differs from its state after it, with the fields that changed
 * (the review fields of src/report/yaml-diff.ts: labels, annotations, finalizers, state, spec),
 * and whether the scenario's cleanup undid it (an `undone` ledger record without error for a
 * change touching the object) or it was kept.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation, RunRecord, ScenarioRecord } from '../runbook/evidence';
import { reviewView } from './yaml-diff';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface ObjectChange {
  scenario: string;
  /** The step that made the change. */
  step: string;
  resource: string;
  name: string;
  fields: FieldChange[];
  outcome: 'undone' | 'kept';
  /** Why it was kept, when an undo was tried and failed. */
  note?: string;
}

const EVIDENCE = /^evidence-worker-.+\.json$/;

/** The evidence records of a run, one per worker (none when the run wrote none). */
export function readEvidence(runDir: string): RunRecord[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .filter((f) => EVIDENCE.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(runDir, f), 'utf8')) as RunRecord);
}

const ABSENT = '(absent)';
const show = (v: unknown) => (v === undefined ? ABSENT : typeof v === 'string' ? v : JSON.stringify(v));

/** Leaf paths of a review view: `labels.apps.edgewize.io/nodegroup`, `spec.alias`, `finalizers`. */
function flatten(view: Record<string, unknown> | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!view) return out;
  for (const [key, value] of Object.entries(view)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.set(`${key}.${k}`, v);
    } else out.set(key, value);
  }
  return out;
}

export function fieldChanges(resource: string, before: unknown, after: unknown): FieldChange[] {
  if (before === undefined && after !== undefined)
    return [{ field: '(object)', before: ABSENT, after: 'created' }];
  if (before !== undefined && after === undefined)
    return [{ field: '(object)', before: 'existed', after: 'deleted' }];
  const b = flatten(reviewView(resource, before));
  const a = flatten(reviewView(resource, after));
  const out: FieldChange[] = [];
  for (const field of new Set([...b.keys(), ...a.keys()])) {
    const [x, y] = [b.get(field), a.get(field)];
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ field, before: show(x), after: show(y) });
  }
  return out;
}

/**
 * The objects a ledger change touches (`resource/name`), as undo restores them. An object counts
 * as undone only when every undo touching it succeeded (a failed one may have left it changed).
 */
function touched(change: Record<string, unknown> | undefined): string[] {
  if (!change) return [];
  switch (change['op']) {
    case 'bind':
    case 'unbind':
      // A namespace or workspace binding also labels the group; a node binding leaves it alone.
      return change['kind'] === 'node'
        ? [`node/${change['target']}`]
        : [`${change['kind']}/${change['target']}`, `nodegroup/${change['group']}`];
    case 'create-nodegroup':
    case 'patch-nodegroup':
    case 'delete-nodegroup':
      return [`nodegroup/${change['name']}`];
    case 'patch-object':
      return [`${change['resource']}/${change['name']}`];
    default:
      return [];
  }
}

/** Each object's first "before" and last "after" within one step: what that step changed. */
function stepChanges(
  ops: readonly Operation[],
): Map<string, { before?: unknown; after?: unknown; both: number }> {
  const seen = new Map<string, { before?: unknown; after?: unknown; both: number }>();
  for (const op of ops) {
    if (op.kind !== 'snapshot') continue;
    const key = `${op.resource}/${op.name}`;
    const entry = seen.get(key) ?? { both: 0 };
    if (op.label === 'before' && !(entry.both & 1)) {
      entry.before = op.object;
      entry.both |= 1;
    }
    if (op.label === 'after') {
      entry.after = op.object;
      entry.both |= 2;
    }
    seen.set(key, entry);
  }
  return seen;
}

function scenarioChanges(s: ScenarioRecord): ObjectChange[] {
  // Step by step: a bind then an unbind of the same node are two changes, both shown.
  const changed: { key: string; resource: string; name: string; fields: FieldChange[]; step: string }[] = [];
  for (const step of s.steps)
    for (const [key, e] of stepChanges(step.operations)) {
      if (e.both !== 3) continue;
      const resource = key.slice(0, key.indexOf('/'));
      const fields = fieldChanges(resource, e.before, e.after);
      if (fields.length)
        changed.push({ key, resource, name: key.slice(resource.length + 1), fields, step: step.text });
    }
  const undone = new Map<string, string | undefined>();
  for (const op of s.cleanup) {
    if (op.kind !== 'ledger' || op.action !== 'undone') continue;
    const change = (op.entry as { change?: Record<string, unknown> } | undefined)?.change;
    for (const key of touched(change)) if (!undone.has(key) || op.error) undone.set(key, op.error);
  }
  return changed.map((c) => {
    const error = undone.get(c.key);
    const undo = undone.has(c.key) && !error;
    return {
      scenario: s.name,
      step: c.step,
      resource: c.resource,
      name: c.name,
      fields: c.fields,
      outcome: undo ? 'undone' : 'kept',
      ...(error ? { note: `undo failed: ${error}` } : undo ? {} : { note: 'no undo recorded' }),
    };
  });
}

/** Every object the run changed, scenario by scenario, in the order the evidence has them. */
export function runChanges(records: readonly RunRecord[]): ObjectChange[] {
  return records.flatMap((r) => r.scenarios.flatMap(scenarioChanges));
}
