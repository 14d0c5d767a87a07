/**
 * One report for a fleet run: each member's Allure results copied into the run's results folder
 * with the cluster as parentSuite (and in the history and test-case ids, so the same scenario on
 * two clusters is two tests, not retries), scenarios of a member that could not be reached written
 * as broken with RUNBOOK_ENV_UNREACHABLE, and the cluster x runbook table of the summary.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const UNREACHABLE_CODE = 'RUNBOOK_ENV_UNREACHABLE';

interface Label {
  name: string;
  value: string;
}
export interface AllureResult {
  uuid: string;
  name: string;
  fullName?: string;
  historyId?: string;
  testCaseId?: string;
  status?: string;
  statusDetails?: { message?: string };
  labels: Label[];
  start?: number;
  stop?: number;
  [key: string]: unknown;
}

export interface PlannedScenario {
  name: string;
  uri: string;
  feature: string;
}

const RESULT = /-result\.json$/;

const setLabel = (labels: Label[], name: string, value: string) => [
  ...labels.filter((l) => l.name !== name),
  { name, value },
];

/** A result as one cluster's: parentSuite and a `cluster` label, ids scoped to the cluster. */
export function scopeResult(result: AllureResult, cluster: string): AllureResult {
  const folder = result.labels.find((l) => l.name === 'parentSuite')?.value;
  let labels = setLabel(result.labels, 'parentSuite', cluster);
  labels = setLabel(labels, 'cluster', cluster);
  if (folder !== undefined && folder !== cluster) labels = setLabel(labels, 'subSuite', folder);
  return {
    ...result,
    labels,
    ...(result.historyId ? { historyId: `${cluster}:${result.historyId}` } : {}),
    ...(result.testCaseId ? { testCaseId: `${cluster}:${result.testCaseId}` } : {}),
    ...(result.fullName ? { fullName: `${cluster}: ${result.fullName}` } : {}),
  };
}

/** Copy one member's results (and their attachments and containers) into `to`; returns them. */
export function copyMemberResults(from: string, to: string, cluster: string): AllureResult[] {
  if (!existsSync(from)) return [];
  mkdirSync(to, { recursive: true });
  const out: AllureResult[] = [];
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(from, entry.name);
    if (RESULT.test(entry.name)) {
      const result = scopeResult(JSON.parse(readFileSync(source, 'utf8')) as AllureResult, cluster);
      writeFileSync(join(to, entry.name), JSON.stringify(result));
      out.push(result);
    } else if (entry.name !== 'environment.properties' && entry.name !== 'executor.json')
      copyFileSync(source, join(to, entry.name));
  }
  return out;
}

/** The scenarios of a member that was not run, each broken as an Environment problem. */
export function writeUnreachable(
  to: string,
  cluster: string,
  scenarios: PlannedScenario[],
  why: string,
): AllureResult[] {
  mkdirSync(to, { recursive: true });
  const now = Date.now();
  return scenarios.map((s) => {
    const id = `${s.uri}:${s.name}`;
    const result: AllureResult = {
      uuid: randomUUID(),
      name: s.name,
      fullName: `${cluster}: ${id}`,
      historyId: `${cluster}:${id}`,
      testCaseId: `${cluster}:${id}`,
      status: 'broken',
      stage: 'finished',
      statusDetails: { message: `[${UNREACHABLE_CODE}] ${why}; no step was run on ${cluster}` },
      labels: [
        { name: 'parentSuite', value: cluster },
        { name: 'suite', value: s.feature },
        { name: 'feature', value: s.feature },
        { name: 'cluster', value: cluster },
      ],
      steps: [],
      attachments: [],
      parameters: [],
      links: [],
      start: now,
      stop: now,
    };
    writeFileSync(join(to, `${result.uuid}-result.json`), JSON.stringify(result));
    return result;
  });
}

const featureOf = (r: AllureResult) => r.labels.find((l) => l.name === 'feature')?.value ?? '(no feature)';

/** Markdown: one row per runbook, one column per cluster, `passed/total` (and the failing codes). */
export function clusterTable(clusters: string[], results: Map<string, AllureResult[]>): string {
  const features = [...new Set([...results.values()].flat().map(featureOf))].sort();
  const cell = (cluster: string, feature: string) => {
    const mine = (results.get(cluster) ?? []).filter((r) => featureOf(r) === feature);
    if (mine.length === 0) return '-';
    const passed = mine.filter((r) => r.status === 'passed' || r.status === 'skipped').length;
    const codes = [
      ...new Set(mine.flatMap((r) => /^\[([A-Z_]+)\]/.exec(r.statusDetails?.message ?? '')?.[1] ?? [])),
    ];
    return `${passed === mine.length ? 'ok' : 'FAIL'} ${passed}/${mine.length}${codes.length ? ` ${codes.join(' ')}` : ''}`;
  };
  const lines = [
    `| runbook | ${clusters.join(' | ')} |`,
    `| --- | ${clusters.map(() => '---').join(' | ')} |`,
    ...features.map((f) => `| ${f.replace(/\|/g, '\\|')} | ${clusters.map((c) => cell(c, f)).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
