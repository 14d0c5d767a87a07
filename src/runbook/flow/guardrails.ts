/**
 * Destructive operations (delete, unbind) run on the embedded sandbox freely; on any other target
 * only when the run allows them, and the refusal names both ways to allow them. Undoing the run's
 * own changes (cleanup) is not guarded: it restores the state from before the run.
 */
import { ALLOW_DESTRUCTIVE_ENV, ALLOW_DESTRUCTIVE_PARAM, type TargetKind } from '../config';
import { GuardrailError } from '../errors';

export interface GuardTarget {
  kind: TargetKind;
  host: string;
  allowDestructive: boolean;
}

export function checkDestructive(target: GuardTarget, what: string): void {
  if (target.kind === 'sandbox' || target.allowDestructive) return;
  throw new GuardrailError(
    `refusing to ${what} on ${target.host}: destructive operations are off for targets other than the ` +
      `embedded sandbox. Allow them with ${ALLOW_DESTRUCTIVE_ENV}=1 or --world-parameters ` +
      `'{"${ALLOW_DESTRUCTIVE_PARAM}":true}' once the impact is confirmed (nothing was changed)`,
  );
}
