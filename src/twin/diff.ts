/**
 * A field-level diff of two objects: each leaf that differs, by its path
 * (`metadata.labels["apps.edgewize.io/nodegroup"]`, `status.conditions[3].status`), with the value
 * before and after (undefined = absent). Arrays are compared item by item; volatile fields
 * (heartbeats, resourceVersion, managedFields) are left out, as the content hash leaves them out.
 */
import { isVolatileField } from './sanitize';

export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const keyPath = (base: string, key: string) =>
  IDENTIFIER.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;

/** An object on one side and nothing on the other: compared field by field, as against `{}`. */
const objectOrAbsent = (a: unknown, b: unknown) =>
  (isObject(a) || a === undefined) &&
  (isObject(b) || b === undefined) &&
  Object.keys(a ?? {}).length + Object.keys(b ?? {}).length > 0;

export function diffFields(
  before: unknown,
  after: unknown,
  path = '',
  out: FieldChange[] = [],
): FieldChange[] {
  if (objectOrAbsent(before, after)) {
    before ??= {};
    after ??= {};
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
      if (isVolatileField(key)) continue;
      diffFields(before[key], after[key], keyPath(path, key), out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) diffFields(before[i], after[i], `${path}[${i}]`, out);
    return out;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    const change: FieldChange = { path: path || '(whole object)' };
    if (before !== undefined) change.before = before;
    if (after !== undefined) change.after = after;
    out.push(change);
  }
  return out;
}

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));

/** `metadata.labels["env"]: "prod" -> "staging"`. */
export const describeChange = (change: FieldChange): string =>
  `${change.path}: ${show(change.before)} -> ${show(change.after)}`;
