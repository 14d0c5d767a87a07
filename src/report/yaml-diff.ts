/**
 * A readable before/after of one object for ops reviews: the fields an operation can change
 * (labels, annotations, finalizers, deletion, state, and a nodegroup's spec) as YAML, diffed line
 * by line with `-`/`+` markers and the whole object as context (objects are short).
 */
import { stringify } from 'yaml';

/** The fields of an object a runbook operation changes or checks; undefined = absent. */
export function reviewView(resource: string, obj: unknown): Record<string, unknown> | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as { metadata?: Record<string, unknown>; spec?: unknown; status?: Record<string, unknown> };
  const m = o.metadata ?? {};
  const view: Record<string, unknown> = {
    labels: m['labels'] ?? {},
    annotations: m['annotations'] ?? {},
    finalizers: m['finalizers'] ?? [],
  };
  if (m['deletionTimestamp']) view['deletionTimestamp'] = String(m['deletionTimestamp']);
  const state = o.status?.['state'] ?? o.status?.['phase'];
  if (state !== undefined) view['state'] = state;
  if (resource === 'nodegroup' && o.spec !== undefined) view['spec'] = o.spec;
  return view;
}

export const toYaml = (value: unknown): string =>
  value === undefined ? '(does not exist)\n' : stringify(value, { sortMapEntries: true, lineWidth: 0 });

/** Longest common subsequence table, for a minimal line diff (objects are tens of lines). */
function lcs(a: string[], b: string[]): number[][] {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t;
}

export interface LineDiff {
  /** Lines prefixed `  ` (same), `- ` (before only), `+ ` (after only). */
  lines: string[];
  changed: boolean;
}

export function diffLines(before: string, after: string): LineDiff {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const t = lcs(a, b);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || t[i + 1]![j]! >= t[i]![j + 1]!)) lines.push(`- ${a[i++]}`);
    else lines.push(`+ ${b[j++]}`);
  }
  return { lines, changed: lines.some((l) => !l.startsWith('  ')) };
}

/** The review diff of one object: a header, then the YAML diff (or "no change"). */
export function objectDiff(resource: string, name: string, before: unknown, after: unknown): string {
  const diff = diffLines(toYaml(reviewView(resource, before)), toYaml(reviewView(resource, after)));
  const header = `# ${resource} ${name}: before -> after (- removed, + added)`;
  return `${header}\n${diff.changed ? '' : '# no change in labels, annotations, finalizers or state\n'}${diff.lines.join('\n')}\n`;
}
