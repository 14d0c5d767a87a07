/**
 * What a troubleshooting runbook may do on the run's target, decided in one place:
 *
 *   target                                  inject faults / hand edits   apply the repair
 *   embedded sandbox                        yes                          yes
 *   live, RUNBOOK_ALLOW_DESTRUCTIVE=1       no                           yes
 *   live (the default)                      no                           no (diagnose only)
 *
 * Faults exist only in the sandbox, and staging a symptom on a real cluster would break it on
 * purpose, so `@sandbox-only` scenarios (which inject) are skipped elsewhere with a note; the
 * `@diagnose-only` scenarios run the diagnosis anywhere and repair only where repairs are allowed.
 */
import { ALLOW_DESTRUCTIVE_ENV, ALLOW_DESTRUCTIVE_PARAM } from '../config';
import { GuardrailError } from '../errors';
import type { GuardTarget } from '../flow/guardrails';

/** Scenarios that stage a symptom (faults, hand edits): run only against the embedded sandbox. */
export const SANDBOX_ONLY_TAG = '@sandbox-only';

export type TroubleshootModeName = 'inject-and-repair' | 'diagnose-and-repair' | 'diagnose-only';

export interface TroubleshootMode {
  name: TroubleshootModeName;
  /** Faults and hand edits that stage a symptom. */
  inject: boolean;
  /** Running the command a finding recommends, when it changes the target. */
  repair: boolean;
}

export function troubleshootMode(target: GuardTarget): TroubleshootMode {
  if (target.kind === 'sandbox') return { name: 'inject-and-repair', inject: true, repair: true };
  if (target.allowDestructive) return { name: 'diagnose-and-repair', inject: false, repair: true };
  return { name: 'diagnose-only', inject: false, repair: false };
}

/** Why a scenario with these tags does not run on this target (undefined: it runs). */
export function sandboxOnlySkipNote(tags: readonly string[], target: GuardTarget): string | undefined {
  if (!tags.includes(SANDBOX_ONLY_TAG) || troubleshootMode(target).inject) return undefined;
  return (
    `skipped on ${target.host}: this scenario stages its symptom with sandbox faults or hand edits ` +
    `(${SANDBOX_ONLY_TAG}); the @diagnose-only scenario of the same runbook diagnoses this target`
  );
}

/** Staging a symptom is refused anywhere but the sandbox, whatever the opt-in says. */
export function checkInjection(target: GuardTarget, what: string): void {
  if (troubleshootMode(target).inject) return;
  throw new GuardrailError(
    `refusing to ${what} on ${target.host}: symptoms are staged only in the embedded sandbox ` +
      `(tag the scenario ${SANDBOX_ONLY_TAG}; nothing was changed)`,
  );
}

/** The note left instead of a repair where repairs are not allowed: the command to run by hand. */
export function repairNotAllowedNote(target: GuardTarget, command: string): string {
  return (
    `not repaired on ${target.host} (diagnose-only: destructive operations are off). ` +
    `Run it yourself once the impact is confirmed: ${command}  — or rerun with ${ALLOW_DESTRUCTIVE_ENV}=1 ` +
    `(or --world-parameters '{"${ALLOW_DESTRUCTIVE_PARAM}":true}') to let the runbook apply it`
  );
}
