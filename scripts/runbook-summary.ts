/**
 * What an operator reads at the end of a run: the counts, then each failing scenario in a few
 * lines (at most ~15): its status and category (who must act), the step, the reason (expected vs
 * the one field last seen), the diagnosis's failing findings and where the evidence is. No stack
 * traces, no YAML: the full evidence stays in the report and in summary.md.
 */
import { join } from 'node:path';
import { type Outcome, withoutStack } from '../src/report/outcome';
import {
  type FindingLine,
  ordered,
  RunCollector,
  type RunOutcome,
  scenarioCounts,
  trustworthy,
} from '../src/report/run-collector';
import { SUMMARY_FILE } from '../src/report/summary-md';
import { RUN_ID_ENV, reportsDirIn, runsDir } from '../src/runbook/config';
import { keptLines } from '../src/runbook/ledger/kept';

export type Summary = RunOutcome & { success: boolean };

/** Longest line of a reason (longer ones wrap at a space), and how many lines of it are shown. */
const MAX_LINE = 160;
const MAX_REASON_LINES = 7;
const MAX_FINDINGS = 3;

function wrap(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > MAX_LINE) {
    const at = rest.lastIndexOf(' ', MAX_LINE);
    const cut = at > MAX_LINE / 2 ? at : MAX_LINE;
    out.push(rest.slice(0, cut));
    rest = `  ${rest.slice(cut).trimStart()}`;
  }
  return [...out, rest];
}

/** The first lines of a message without its stack, long ones wrapped; "..." when more was cut. */
export function firstLines(message: string | undefined, max = MAX_REASON_LINES): string[] {
  if (!message) return ['(no message)'];
  const lines = withoutStack(message)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap(wrap);
  return lines.length <= max ? lines : [...lines.slice(0, max - 1), `${lines[max - 1]} ...`];
}

/** Collects a run's messages; `summary` is what renderSummary prints. */
export class SummaryCollector {
  private readonly collector = new RunCollector();
  onMessage = this.collector.onMessage;

  get summary(): Summary {
    const run = this.collector.run;
    return { ...run, success: run.success ?? false };
  }

  /** The summary with cucumber's verdict, failed as well when a step was undefined, ambiguous or pending (a dry run too). */
  summaryOf(cucumberSuccess: boolean): Summary {
    return { ...this.collector.run, success: trustworthy(this.collector.run, cucumberSuccess) };
  }
}

const count = (counts: Record<string, number | undefined>) => {
  const entries = Object.entries(counts).filter(([, n]) => n);
  const total = entries.reduce((a, [, n]) => a + (n ?? 0), 0);
  return `${total}${entries.length ? ` (${entries.map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ')})` : ''}`;
};

const label = (o: Outcome) => `${o.status}${o.category ? ` [${o.category}]` : o.code ? ` [${o.code}]` : ''}`;

function findingLines(findings: FindingLine[]): string[] {
  const shown = findings.slice(0, MAX_FINDINGS).map((f) => {
    const line = `    finding: ${f.check} ${f.status.toUpperCase()}: ${f.summary}${f.nextCommand ? `; next: ${f.nextCommand}` : ''}`;
    return line.length > MAX_LINE + 60 ? `${line.slice(0, MAX_LINE + 57)}...` : line;
  });
  if (findings.length > MAX_FINDINGS)
    shown.push(`    (${findings.length - MAX_FINDINGS} more findings in the report)`);
  return shown;
}

export function renderSummary(s: Summary, extra: string[], env: NodeJS.ProcessEnv = process.env): string {
  const lines = ['', `runbooks: ${s.success ? 'PASSED' : 'FAILED'}`];
  lines.push(
    `  scenarios ${count(scenarioCounts(s))}, steps ${count(ordered(s.steps))}, ${(s.durationMs / 1000).toFixed(1)} s` +
      (s.retried ? ` (${s.retried} failed attempt(s) retried)` : ''),
  );
  const runId = env[RUN_ID_ENV];
  const dry = extra.some((l) => l.startsWith('dry run'));
  const evidence = runId && !dry ? runsDir(reportsDirIn(env), runId) : undefined;
  for (const p of s.runProblems) {
    lines.push(`  ${label(p.outcome)}: ${p.where}`);
    lines.push(...firstLines(p.outcome.message).map((l) => `    ${l}`));
  }
  for (const sc of s.scenarios) {
    if (sc.outcome.status === 'PASSED' || sc.outcome.status === 'SKIPPED') continue;
    lines.push(`  ${label(sc.outcome)}: ${sc.name} (${sc.uri})`);
    if (sc.step) lines.push(`    step: ${sc.step}`);
    lines.push(...firstLines(sc.outcome.message).map((l) => `    ${l}`));
    lines.push(...findingLines(sc.findings));
    if (evidence) lines.push(`    evidence: ${evidence} (full YAML in the report: npm run report)`);
  }
  // A plan (RUNBOOK_PLAN_DIR) writes no summary.md: its plan.md is the summary.
  const plan = env['RUNBOOK_PLAN_DIR'] !== undefined;
  if (runId && !dry && !plan) lines.push(`  summary ${join(reportsDirIn(env), SUMMARY_FILE)}`);
  // What @operation scenarios kept (their ledger entries still pending), with the undo command.
  if (runId && !dry && !plan) lines.push(...keptLines(reportsDirIn(env), runId).map((l) => `  ${l}`));
  lines.push(...extra.map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}
