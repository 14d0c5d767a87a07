/**
 * reports/summary.md: the change summary of one run, to paste into a change ticket. The target
 * and identity, the totals, each scenario's status and category, every object the run changed
 * (fields before -> after, undone or kept), the failures with their diagnosis findings, and the
 * revert command when anything was kept. Built from the run's outcome (cucumber's messages) and
 * its evidence, both already redacted; the text passes the redactor's patterns once more.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runsDir } from '../runbook/config';
import { keptChanges } from '../runbook/ledger/kept';
import { revertCommand } from '../runbook/operation-mode';
import { redactTextPatterns } from '../runbook/redact';
import { type ObjectChange, readEvidence, runChanges } from './changes';
import { untagged } from './failure-codes';
import { ordered, type RunOutcome, scenarioCounts } from './run-collector';

export const SUMMARY_FILE = 'summary.md';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const counts = (c: Record<string, number | undefined>) => {
  const entries = Object.entries(c).filter(([, n]) => n);
  const total = entries.reduce((a, [, n]) => a + (n ?? 0), 0);
  return `${total}${entries.length ? ` (${entries.map(([k, n]) => `${n} ${k.toLowerCase()}`).join(', ')})` : ''}`;
};

function environmentOf(runDir: string): Record<string, string> {
  if (!existsSync(runDir)) return {};
  const merged: Record<string, string[]> = {};
  for (const f of readdirSync(runDir)
    .filter((n) => /^environment-worker-.+\.json$/.test(n))
    .sort()) {
    const facts = JSON.parse(readFileSync(join(runDir, f), 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(facts)) {
      const values = merged[k] ?? [];
      if (!values.includes(v)) values.push(v);
      merged[k] = values;
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v.join(', ')]));
}

export interface SummaryInput {
  runId: string;
  reportsDir: string;
  run: RunOutcome;
  /** An acceptance run's verdict (markdown: table and final line): the summary opens with it. */
  verdict?: string;
}

export interface Summary {
  text: string;
  changes: ObjectChange[];
}

export function buildSummary({ runId, reportsDir, run, verdict }: SummaryInput): Summary {
  const dir = runsDir(reportsDir, runId);
  const env = environmentOf(dir);
  const changes = runChanges(readEvidence(dir));
  const failed = run.scenarios.filter((s) => s.outcome.status !== 'PASSED' && s.outcome.status !== 'SKIPPED');
  const ok = run.success ?? (failed.length === 0 && run.runProblems.length === 0);
  const lines: string[] = [`# Runbook run ${runId}: ${ok ? 'PASSED' : 'FAILED'}`, ''];
  if (verdict) lines.push(verdict.trimEnd(), '');

  lines.push('## Environment', '', '| | |', '|---|---|');
  const facts: [string, string | undefined][] = [
    ['target', [env['target.kind'], env['target.url']].filter(Boolean).join(' ') || undefined],
    [
      'cluster',
      [env['cluster.server'], env['cluster.context'] && `(context ${env['cluster.context']})`]
        .filter(Boolean)
        .join(' ') || undefined,
    ],
    ['identity', env['user']],
    ['KubeSphere', env['kubesphere.version']],
    ['Kubernetes', env['kubernetes.version']],
    ['nodegroup', env['nodegroup.version']],
    ['destructive allowed', env['destructive.allowed']],
    ['runner', env['runner.version']],
  ];
  for (const [k, v] of facts) lines.push(`| ${k} | ${cell(v ?? 'unknown (no environment recorded)')} |`);

  lines.push('', '## Totals', '');
  lines.push(
    `- scenarios: ${counts(scenarioCounts(run))}`,
    `- steps: ${counts(ordered(run.steps))}`,
    `- duration: ${(run.durationMs / 1000).toFixed(1)} s${run.retried ? `; ${run.retried} failed attempt(s) retried` : ''}`,
  );

  lines.push('', '## Scenarios', '', '| status | category | scenario | feature |', '|---|---|---|---|');
  for (const s of run.scenarios)
    lines.push(
      `| ${s.outcome.status} | ${s.outcome.category ?? (s.outcome.status === 'PASSED' ? '' : 'runbook code defect')} | ${cell(s.name)} | ${cell(s.uri)} |`,
    );

  lines.push('', '## Changes', '');
  if (!changes.length) lines.push('The run changed no object.');
  else {
    lines.push('| object | field | before -> after | outcome | scenario: step |', '|---|---|---|---|---|');
    for (const c of changes)
      for (const f of c.fields)
        lines.push(
          `| ${c.resource} ${cell(c.name)} | ${cell(f.field)} | ${cell(f.before)} -> ${cell(f.after)} | ${c.outcome}${c.note ? ` (${cell(c.note)})` : ''} | ${cell(`${c.scenario}: ${c.step}`)} |`,
        );
  }

  lines.push('', '## Failures', '');
  if (!failed.length && !run.runProblems.length) lines.push('None.');
  for (const p of run.runProblems)
    lines.push(
      `### ${p.where} (${p.outcome.category ?? 'runbook code defect'})`,
      '',
      '```',
      untagged(p.outcome.message ?? ''),
      '```',
      '',
    );
  for (const s of failed) {
    lines.push(`### ${s.name} — ${s.outcome.status}, ${s.outcome.category ?? 'runbook code defect'}`, '');
    lines.push(
      `- feature: ${s.uri}`,
      `- step: ${s.step ?? '(unknown)'}`,
      `- code: ${s.outcome.code ?? 'none'}`,
    );
    lines.push('', '```', (s.outcome.message ?? '').split('\n').slice(0, 8).join('\n'), '```');
    const findings = s.findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
    if (findings.length) {
      lines.push('', 'Diagnosis findings:', '');
      for (const f of findings)
        lines.push(
          `- ${f.check} ${f.status.toUpperCase()}: ${f.summary}${f.nextCommand ? ` (next: \`${f.nextCommand}\`)` : ''}`,
        );
    }
    lines.push('');
  }

  lines.push('## Revert', '');
  const kept = changes.filter((c) => c.outcome === 'kept');
  // Every change the ledger still holds (what @operation scenarios kept), as its command.
  const pending = keptChanges(reportsDir, runId);
  if (pending.length)
    lines.push(
      `The run kept ${pending.length} change(s):`,
      '',
      ...pending.map((k) => `- \`${k.command}\``),
      '',
      `Undo them all: \`${revertCommand(runId)}\` (refuses objects changed since; \`--force\` overwrites)`,
      '',
    );
  if (kept.length)
    lines.push(
      `${kept.length} object(s) kept their changes. To undo them: \`npm run revert -- --run-id ${runId}\``,
      '(replays the ledger reports/ledger/' + runId + '/ in reverse; idempotent)',
    );
  else if (!pending.length) lines.push('Every change was undone: nothing to revert.');
  lines.push('', `Evidence: ${dir}`);
  return { text: `${redactTextPatterns(lines.join('\n'))}\n`, changes };
}

/** Write summary.md under the reports folder (replaced atomically); returns its path. */
export function writeSummary(reportsDir: string, text: string): string {
  const file = join(reportsDir, SUMMARY_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return file;
}
