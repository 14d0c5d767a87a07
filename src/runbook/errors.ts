/**
 * Errors of the runbook library. Each has a stable `code` and says what to do next, so a step's
 * failure reads as an instruction, not a stack trace.
 */
import { CodedError } from '../coded-error';

export type RunbookErrorCode =
  | 'RUNBOOK_CONFIG'
  | 'RUNBOOK_MISSING_PARAMETER'
  | 'RUNBOOK_GUARDRAIL'
  | 'RUNBOOK_BLOCKED'
  | 'RUNBOOK_VERIFY'
  | 'RUNBOOK_WAIT_EXPIRED'
  | 'RUNBOOK_NOT_FOUND'
  | 'RUNBOOK_CLEANUP';

export abstract class RunbookError extends CodedError<RunbookErrorCode> {}

/** A run parameter or profile setting is wrong. */
export class ConfigError extends RunbookError {
  readonly code = 'RUNBOOK_CONFIG' as const;
}

/** `${VAR}` in a step has no value; raised before anything is sent. */
export class MissingParameterError extends RunbookError {
  readonly code = 'RUNBOOK_MISSING_PARAMETER' as const;
  constructor(
    readonly variable: string,
    readonly text: string,
  ) {
    super(
      `"${text}" needs \${${variable}}, which has no value: pass --world-parameters ` +
        `'{"vars":{"${variable}":"..."}}' or export ${variable}=... (nothing was changed on the target)`,
    );
  }
}

/** A destructive operation refused on a target other than the embedded sandbox. */
export class GuardrailError extends RunbookError {
  readonly code = 'RUNBOOK_GUARDRAIL' as const;
}

/** The operation cannot run here (no credentials, host unreachable): says what is missing and what to run. */
export class BlockedError extends RunbookError {
  readonly code = 'RUNBOOK_BLOCKED' as const;
  constructor(
    readonly missing: string,
    /** The exact `nodegroup-api` command to run next. */
    readonly command: string,
    /** The API path the command calls. */
    readonly apiPath: string,
    cause?: Error,
  ) {
    super(
      `blocked: ${missing}. Once fixed, run: ${command}  (API: ${apiPath})`,
      cause ? { cause } : undefined,
    );
  }
}

/** An after-state check that did not hold (on a settled object: the product did something else). */
export class VerifyError extends RunbookError {
  readonly code: 'RUNBOOK_VERIFY' | 'RUNBOOK_WAIT_EXPIRED' | 'RUNBOOK_NOT_FOUND' = 'RUNBOOK_VERIFY';
}

/** A wait ran out with the object still in transition: a controller has not finished its work. */
export class WaitExpiredError extends VerifyError {
  override readonly code = 'RUNBOOK_WAIT_EXPIRED' as const;
}

/** An object the runbook names does not exist (a typo, or a run parameter for another cluster). */
export class NotFoundError extends VerifyError {
  override readonly code = 'RUNBOOK_NOT_FOUND' as const;
}

/** Undoing the ledger failed: the target may still carry changes of the run. */
export class CleanupError extends RunbookError {
  readonly code = 'RUNBOOK_CLEANUP' as const;
  constructor(
    message: string,
    readonly failures: { entry: string; error: string }[],
  ) {
    super(message);
  }
}
