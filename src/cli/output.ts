/**
 * Render results as kubectl users expect: json (default), compact json (--quiet), yaml
 * (lazy-loaded), a table, a wide table, or `name` (kind/name, one a line, for scripts).
 */
import type { NodeGroup } from '../kapi/nodegroups';

export type OutputFormat = 'json' | 'yaml' | 'table' | 'wide' | 'name';
export const OUTPUT_FORMATS: OutputFormat[] = ['json', 'yaml', 'table', 'wide', 'name'];

/** How `-o name` spells a nodegroup, as `kubectl get nodegroups -o name` does. */
export const NAME_PREFIX = 'nodegroup.infra.kubesphere.io/';

export interface RenderOptions {
  quiet?: boolean;
  counts?: NodeCounts;
  /** false: tables without their header line (--no-headers). */
  headers?: boolean;
}

/** Node counts per group name, or undefined when they could not be read. */
export type NodeCounts = Map<string, number> | undefined;

export function render(value: unknown, format: OutputFormat, options: RenderOptions = {}): string {
  const { quiet = false, counts, headers = true } = options;
  if (format === 'yaml') {
    // Loaded only for -o yaml: the default path stays lean.
    const yaml = require('yaml') as typeof import('yaml');
    return yaml.stringify(value);
  }
  if (format === 'table' || format === 'wide' || format === 'name') {
    const groups = asGroups(value);
    if (groups && format === 'name') return groups.map((g) => `${NAME_PREFIX}${g.metadata.name}\n`).join('');
    if (groups) return groupTable(groups, counts, { wide: format === 'wide', headers });
  }
  return `${quiet ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`;
}

/** The groups in a value: a list answer, a single NodeGroup, or undefined for anything else. */
export function asGroups(value: unknown): NodeGroup[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as { items?: unknown; metadata?: { name?: unknown } };
  if (Array.isArray(record.items)) return record.items as NodeGroup[];
  if (typeof record.metadata?.name === 'string') return [value as NodeGroup];
  return undefined;
}

/** Kubernetes-style age: 45s, 12m, 5h, 3d, 2y. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  const at = timestamp ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 730 ? `${days}d` : `${Math.floor(days / 365)}y`;
}

export interface TableOptions {
  /** -o wide: also DESCRIPTION and FINALIZERS. */
  wide?: boolean;
  headers?: boolean;
  now?: number;
}

export function groupTable(groups: NodeGroup[], counts: NodeCounts, options: TableOptions = {}): string {
  const { wide = false, headers = true, now = Date.now() } = options;
  const header = ['NAME', 'ALIAS', 'MANAGER', 'STATE', 'NODES', 'AGE'];
  const rows = [wide ? [...header, 'DESCRIPTION', 'FINALIZERS'] : header];
  for (const group of groups) {
    const name = group.metadata.name;
    const row = [
      name,
      group.spec?.alias || '<none>',
      group.spec?.manager || '<none>',
      group.status?.state || '<unknown>',
      counts ? String(counts.get(name) ?? 0) : '<unknown>',
      age(group.metadata.creationTimestamp, now),
    ];
    if (wide)
      row.push(group.spec?.description || '<none>', (group.metadata.finalizers ?? []).join(',') || '<none>');
    rows.push(row);
  }
  if (!headers) rows.shift();
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3)))
      .join('')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
