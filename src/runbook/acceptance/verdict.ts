/**
 * The acceptance verdict: one row per capability (PASS, FAIL or SKIPPED, with the evidence to
 * look at) and a final ACCEPTED / NOT ACCEPTED line, as markdown. Accepted means every capability
 * that ran passed and at least one ran; a skipped capability is listed with its reason and named
 * on the final line, so it never reads as a pass. Pure: the formatter collects, this renders.
 */

/** The capabilities an installation is accepted on, in the order of the table. */
export const CAPABILITIES: readonly { name: string; what: string }[] = [
  { name: 'deployment', what: 'nodegroup server deployed, its pods Running and Ready' },
  { name: 'config', what: 'nodegroup-config valid, every section enabled' },
  { name: 'discovery', what: 'the nodegroup API discovered (Kubernetes API and KAPI)' },
  { name: 'rbac', what: 'the read-only user reads, and is refused every write (403)' },
  { name: 'api-routes', what: 'every route of the nodegroup API answers (three binding kinds)' },
  { name: 'scheduling', what: "pods of a bound namespace run on the group's nodes only" },
  { name: 'admission', what: "a pod asking for another group is refused by the namespace's selector" },
  { name: 'cleanup', what: 'everything the acceptance created is gone, the target as before' },
];

export type CapabilityStatus = 'PASS' | 'FAIL' | 'SKIPPED';

export interface CapabilityResult {
  capability: string;
  status: CapabilityStatus;
  /** Where to look: a path relative to the verdict file, or a URL. */
  evidence: string;
  /** The first failure's message, or the reason of a skip. */
  detail?: string;
  /** Scenario names behind the row. */
  scenarios: string[];
}

export const isAccepted = (results: readonly CapabilityResult[]) =>
  results.some((r) => r.status === 'PASS') && results.every((r) => r.status !== 'FAIL');

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const brief = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Results in CAPABILITIES order, unknown capabilities after them. */
export function orderResults(results: readonly CapabilityResult[]): CapabilityResult[] {
  const rank = (name: string) => {
    const i = CAPABILITIES.findIndex((c) => c.name === name);
    return i === -1 ? CAPABILITIES.length : i;
  };
  return [...results].sort(
    (a, b) => rank(a.capability) - rank(b.capability) || a.capability.localeCompare(b.capability),
  );
}

export function verdictLine(results: readonly CapabilityResult[]): string {
  const failed = results.filter((r) => r.status === 'FAIL').map((r) => r.capability);
  const skipped = results.filter((r) => r.status === 'SKIPPED').map((r) => r.capability);
  const skippedNote = skipped.length ? ` (skipped: ${skipped.join(', ')})` : '';
  if (results.length === 0) return '**NOT ACCEPTED**: no capability was checked';
  if (failed.length) return `**NOT ACCEPTED**: failed ${failed.join(', ')}${skippedNote}`;
  if (!isAccepted(results)) return `**NOT ACCEPTED**: nothing ran${skippedNote}`;
  return `**ACCEPTED**${skippedNote}`;
}

/** The verdict as markdown: heading, target line, table, final line. */
export function renderVerdict(
  results: readonly CapabilityResult[],
  about: { target?: string; runId?: string } = {},
): string {
  const ordered = orderResults(results);
  const lines = ['## Acceptance verdict', ''];
  const facts = [about.target && `target ${about.target}`, about.runId && `run ${about.runId}`].filter(
    Boolean,
  );
  if (facts.length) lines.push(facts.join(', '), '');
  lines.push('| capability | result | evidence |', '|---|---|---|');
  for (const r of ordered) {
    const what = CAPABILITIES.find((c) => c.name === r.capability)?.what;
    const name = what ? `${r.capability}: ${what}` : r.capability;
    const result = r.detail ? `${r.status}: ${brief(r.detail)}` : r.status;
    lines.push(
      `| ${cell(name)} | ${cell(result)} | [${cell(r.scenarios.join('; ') || 'evidence')}](${r.evidence}) |`,
    );
  }
  const explained = ordered.filter((r) => r.detail && r.status !== 'PASS');
  if (explained.length) {
    lines.push('', '### Why', '');
    for (const r of explained)
      lines.push(`- **${r.capability}** ${r.status}: ${r.detail!.replace(/\s*\n\s*/g, ' ')}`);
  }
  lines.push('', verdictLine(ordered), '');
  return lines.join('\n');
}
