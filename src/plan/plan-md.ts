/**
 * plan.md: the plan for a person. What it is (a prediction from the sandbox's model, with the
 * (model) constants it relied on), per scenario pass/fail on the twin, then the writes and the
 * changes as a diff; the import's requests to live (reads only).
 */
import { describeChange } from '../twin/diff';
import type { PlanDocument } from './plan-file';
import type { ObjectChange } from './twin-changes';

const objectName = (c: ObjectChange) => `${c.resource} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;

/** An Event in one line: its reason and message (or its count going up), not its fields. */
function eventLine(c: ObjectChange): string {
  const e = (c.after ?? c.before) as { type?: string; reason?: string; message?: string } | undefined;
  const what = !c.before ? 'recorded' : !c.after ? 'gone' : 'repeated';
  return `+ event ${what}: ${e?.type ?? ''} ${e?.reason ?? ''}: ${e?.message ?? c.name}`;
}

export function changeLines(c: ObjectChange): string[] {
  if (c.resource === 'events') return [eventLine(c)];
  const what = !c.before ? 'created' : !c.after ? 'deleted' : 'changed';
  const lines = [`${objectName(c)}: ${what}${c.restored ? ' (undone by the cleanup)' : ''}`];
  for (const f of c.fields) {
    if (f.before !== undefined) lines.push(`- ${f.path}: ${JSON.stringify(f.before)}`);
    if (f.after !== undefined) lines.push(`+ ${f.path}: ${JSON.stringify(f.after)}`);
    if (f.before === undefined && f.after === undefined) lines.push(`~ ${describeChange(f)}`);
  }
  return lines;
}

export function renderPlanMarkdown(plan: PlanDocument): string {
  const { summary } = plan;
  const expand = (text: string) =>
    text.replace(/\$\{(\w+)\}/g, (all, name: string) => plan.vars[name] ?? all);
  const out = [
    `# Plan ${plan.planId}: ${plan.environment.name}`,
    '',
    `Environment **${plan.environment.name}** (${plan.environment.host}${plan.environment.protected ? ', protected' : ''}), made ${plan.createdAt}.`,
    `Would pass: ${summary.passed}, would fail: ${summary.failed}${summary.skipped ? `, skipped: ${summary.skipped}` : ''}${summary.other ? `, other: ${summary.other}` : ''}; objects that would change: ${summary.objectsChanged}.`,
    '',
    `> ${plan.model.note}`,
    '',
    `Apply it: \`nodegroup-runbooks apply --env ${plan.environment.name} reports/plans/${plan.planId}\``,
    '',
    '## Scenarios',
    '',
  ];
  for (const s of plan.scenarios) {
    out.push(
      `### ${s.status === 'PASSED' ? 'PASS' : s.status === 'FAILED' ? 'FAIL' : s.status} ${s.name}`,
      '',
      `${s.uri}`,
      '',
    );
    for (const step of s.steps)
      out.push(
        `- ${step.status.toLowerCase()}: ${expand(step.text)}${step.message ? `\n  > ${step.message.split('\n')[0]}` : ''}`,
      );
    out.push('');
    if (s.writes.length) {
      out.push('Writes sent to the twin:', '');
      for (const w of s.writes)
        out.push(
          `- ${w.via === 'http' ? `${w.method} ${w.path}` : w.path}${w.step === 'cleanup' ? ' (cleanup)' : ''}`,
        );
      out.push('');
    }
    if (s.changes.length) {
      out.push('```diff');
      const events = s.changes.filter((c) => c.resource === 'events');
      for (const c of s.changes.filter((c) => c.resource !== 'events')) out.push(...changeLines(c), '');
      for (const c of events) out.push(...changeLines(c));
      out.push('```', '');
    } else out.push('No object changes.', '');
  }
  if (plan.startup.length) {
    out.push(
      '## Where the model disagreed with live',
      '',
      "The twin's controller changed these before any runbook ran:",
      '',
      '```diff',
    );
    for (const c of plan.startup) out.push(...changeLines(c), '');
    out.push('```', '');
  }
  out.push('## Model constants relied on (src/constants.ts)', '');
  for (const c of plan.model.constants)
    out.push(`- \`${c.name}\` = \`${JSON.stringify(c.value)}\`: ${c.about}`);
  const reads = plan.import.requests;
  out.push(
    '',
    '## Requests to live',
    '',
    `The import sent ${reads.length} requests to ${plan.environment.host}: ${reads.filter((r) => r.method === 'GET').length} GET` +
      `${
        reads.some((r) => r.method !== 'GET')
          ? ` and ${reads
              .filter((r) => r.method !== 'GET')
              .map((r) => `${r.method} ${r.path}`)
              .join(', ')}`
          : ''
      }` +
      `; nothing was written to live. The runbooks ran against the twin only.`,
    '',
    '## Feature files',
    '',
    ...plan.features.map((f) => `- ${f.uri} \`${f.sha256}\``),
    '',
  );
  return out.join('\n');
}
