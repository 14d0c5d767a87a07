/**
 * A readable before/after of one object for ops reviews: the fields an operation can change
 * (labels, annotations, finalizers, deletion, state, and a nodegroup's spec) as YAML, diffed line
 * by line with `-`/`+` markers and the whole object as context (objects are short).
 */
import { diffLines as jsdiffLines } from 'diff';
import { yaml } from '../lazy-yaml';

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
  value === undefined
    ? '(does not exist)\n'
    : yaml().stringify(value, { sortMapEntries: true, lineWidth: 0 });

interface LineDiff {
  /** Lines prefixed `  ` (same), `- ` (before only), `+ ` (after only). */
  lines: string[];
  changed: boolean;
}

/** A minimal line diff (jsdiff), every line kept as context: objects are tens of lines. */
function diffLines(before: string, after: string): LineDiff {
  const lines: string[] = [];
  for (const part of jsdiffLines(before.replace(/\n?$/, '\n'), after.replace(/\n?$/, '\n'))) {
    const mark = part.added ? '+ ' : part.removed ? '- ' : '  ';
    for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push(`${mark}${line}`);
  }
  return { lines, changed: lines.some((l) => !l.startsWith('  ')) };
}

/** The review diff of one object: a header, then the YAML diff (or "no change"). */
export function objectDiff(resource: string, name: string, before: unknown, after: unknown): string {
  const diff = diffLines(toYaml(reviewView(resource, before)), toYaml(reviewView(resource, after)));
  const header = `# ${resource} ${name}: before -> after (- removed, + added)`;
  return `${header}\n${diff.changed ? '' : '# no change in labels, annotations, finalizers or state\n'}${diff.lines.join('\n')}\n`;
}
