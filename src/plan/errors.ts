/**
 * Why a plan or an apply stops before anything is written to the live environment. Each has a
 * stable code and its own exit code (CI can tell drift from a changed runbook without the text).
 */
import { CodedError } from '../coded-error';

export const PLAN_EXIT_CODES = {
  /** apply: no plan folder or no plan.json in it. */
  PLAN_MISSING: 30,
  /** apply: plan.json or twin.json is not what a plan writes. */
  PLAN_DAMAGED: 31,
  /** apply: the plan was made for another environment (name or host). */
  PLAN_OTHER_ENVIRONMENT: 32,
  /** apply: a feature file changed (or is gone) since the plan. */
  PLAN_FEATURES_CHANGED: 33,
  /** apply: an object the plan read changed on live since. */
  PLAN_DRIFT: 34,
  /** plan/apply: the live environment cannot be read (missing RBAC for a kind). */
  PLAN_TWIN_UNREADABLE: 35,
  /** plan/apply: bad arguments (no environment, a sandbox environment, unknown option). */
  PLAN_USAGE: 36,
} as const;

export type PlanErrorCode = keyof typeof PLAN_EXIT_CODES;

export class PlanError extends CodedError<PlanErrorCode> {
  constructor(
    readonly code: PlanErrorCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return PLAN_EXIT_CODES[this.code];
  }
}
