/**
 * Assertions over a diagnosis in the words of a runbook: the finding of a check with a status and
 * a summary, a check that passes, a target with no failing or warning check. Each failure lists
 * what the diagnosis did report, with the command it recommends.
 */
import { BINDING_KINDS } from '../../binding-kinds';
import type { Diagnosis } from '../../diagnose/diagnose';
import type { CheckId, CheckStatus, Finding, Target } from '../../diagnose/types';
import { ConfigError, VerifyError } from '../errors';

const line = (f: Finding) =>
  `  ${f.check.id} ${f.status.toUpperCase()}: ${f.summary}` +
  `${f.likelyCause ? `\n    cause: ${f.likelyCause}` : ''}${f.nextCommand ? `\n    next: ${f.nextCommand}` : ''}`;

export function describeTarget(t: Target): string {
  const extra = BINDING_KINDS.filter((k) => t[k]).map((k) => `${k} ${t[k]}`);
  return `nodegroup ${t.nodegroup}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** The findings of one check; a check that did not report is a mistake in the runbook. */
export function findingsOf(diagnosis: Diagnosis, check: string): Finding[] {
  const found = diagnosis.findings.filter((f) => f.check.id === check);
  if (!found.length)
    throw new ConfigError(
      `the diagnosis has no check "${check}"; the checks are ${[...new Set(diagnosis.findings.map((f) => f.check.id))].join(', ')}`,
    );
  return found;
}

/** The one finding of `check` with `status` whose summary includes `text` (any when text is empty). */
export function expectFinding(
  diagnosis: Diagnosis,
  check: CheckId | string,
  status: CheckStatus,
  text = '',
): Finding {
  const found = findingsOf(diagnosis, check);
  const match = found.find((f) => f.status === status && f.summary.includes(text));
  if (match) return match;
  throw new VerifyError(
    `expected check ${check} to ${status === 'fail' ? 'fail' : status}${text ? ` with "${text}"` : ''}, but it reported:\n` +
      found.map(line).join('\n'),
  );
}

/** No check fails or warns; otherwise the message lists what it found and what to run. */
export function expectHealthy(diagnosis: Diagnosis): void {
  const problems = diagnosis.findings.filter((f) => f.status === 'fail' || f.status === 'warn');
  if (!problems.length) return;
  throw new VerifyError(
    `${describeTarget(diagnosis.target)} is not healthy:\n${problems.map(line).join('\n')}`,
  );
}

/** Every finding of `check` passes. */
export function expectCheckPasses(diagnosis: Diagnosis, check: string): void {
  const failing = findingsOf(diagnosis, check).filter((f) => f.status !== 'pass');
  if (!failing.length) return;
  throw new VerifyError(
    `check ${check} of ${describeTarget(diagnosis.target)} does not pass:\n${failing.map(line).join('\n')}`,
  );
}
