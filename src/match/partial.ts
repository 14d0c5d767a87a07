/**
 * Partial match of an object against an expected document, with the semantics of Chainsaw's
 * `assert` (kyverno-json assertion trees, without expressions):
 * - a map matches when every key it names matches the actual value at that key; keys it does
 *   not name are ignored, at every depth;
 * - a list matches a list of the same length whose elements match element by element, in order
 *   (a shorter expected list is a mismatch, as Chainsaw's "lengths of slices don't match");
 * - a scalar matches an identical scalar (`"3"` is not `3`: quote strings as the object has them);
 * - an expected `null` matches an absent or null value.
 * Pure: no I/O; the result lists every mismatch with its path, so a failure shows where.
 */

export interface Mismatch {
  /** Kubernetes field path: `metadata.labels[apps.edgewize.io/nodegroup]`, `spec.taints[0].key`. */
  path: string;
  expected: unknown;
  /** `undefined`: the field is absent. */
  actual: unknown;
  /** Why it differs, when the values alone do not say it ("lengths differ: expected 1, got 2"). */
  reason?: string;
}

type Json = unknown;

const isMap = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `a.b`, or `a[key.with/dots]` for keys that are not plain identifiers (label keys). */
export function childPath(parent: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${key}]`;
}

const typeName = (v: Json): string =>
  v === undefined ? 'absent' : v === null ? 'null' : Array.isArray(v) ? 'list' : isMap(v) ? 'map' : typeof v;

/** Every way `actual` fails to match `expected`; empty when it matches. */
export function partialMatch(expected: Json, actual: Json, path = ''): Mismatch[] {
  if (expected === null) {
    return actual === null || actual === undefined ? [] : [{ path: path || '.', expected, actual }];
  }
  if (isMap(expected)) {
    if (!isMap(actual))
      return [{ path: path || '.', expected, actual, reason: `expected a map, got ${typeName(actual)}` }];
    return Object.entries(expected).flatMap(([key, value]) =>
      partialMatch(value, actual[key], childPath(path, key)),
    );
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual))
      return [{ path: path || '.', expected, actual, reason: `expected a list, got ${typeName(actual)}` }];
    if (actual.length !== expected.length)
      return [
        {
          path: path || '.',
          expected,
          actual,
          reason: `lengths differ: expected ${expected.length} element(s), got ${actual.length}`,
        },
      ];
    return expected.flatMap((value, i) => partialMatch(value, actual[i], `${path}[${i}]`));
  }
  return expected === actual ? [] : [{ path: path || '.', expected, actual }];
}

const show = (v: Json): string => (v === undefined ? '(absent)' : JSON.stringify(v));

/** One line per mismatch, the first `limit` of them: `path: expected X, actual Y (reason)`. */
export function describeMismatches(mismatches: readonly Mismatch[], limit = 5): string {
  const lines = mismatches
    .slice(0, limit)
    .map(
      (m) =>
        `  ${m.path}: expected ${show(m.expected)}, actual ${show(m.actual)}${m.reason ? ` (${m.reason})` : ''}`,
    );
  if (mismatches.length > limit) lines.push(`  ... and ${mismatches.length - limit} more`);
  return lines.join('\n');
}
