/**
 * Errors of the runbook library. Each has a stable `code` and says what to do next, so a step's
 * failure reads as an instruction, not a stack trace.
 */

export type RunbookErrorCode =
  | 'RUNBOOK_CONFIG'
  | 'RUNBOOK_MISSING_PARAMETER'
  | 'RUNBOOK_GUARDRAIL'
  | 'RUNBOOK_BLOCKED'
  | 'RUNBOOK_VERIFY'
  | 'RUNBOOK_CLEANUP';

export abstract class RunbookError extends Error {
  abstract readonly code: RunbookErrorCode;
}

/** A run parameter or profile setting is wrong. */
export class ConfigError extends RunbookError {
  readonly code = 'RUNBOOK_CONFIG' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
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
    this.name = 'MissingParameterError';
  }
}

/** A destructive operation refused on a target other than the embedded sandbox. */
export class GuardrailError extends RunbookError {
  readonly code = 'RUNBOOK_GUARDRAIL' as const;
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailError';
  }
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
    this.name = 'BlockedError';
  }
}

/** An after-state check that did not hold. */
export class VerifyError extends RunbookError {
  readonly code = 'RUNBOOK_VERIFY' as const;
  constructor(message: string) {
    super(message);
    this.name = 'VerifyError';
  }
}

/** Undoing the ledger failed: the target may still carry changes of the run. */
export class CleanupError extends RunbookError {
  readonly code = 'RUNBOOK_CLEANUP' as const;
  constructor(
    message: string,
    readonly failures: { entry: string; error: string }[],
  ) {
    super(message);
    this.name = 'CleanupError';
  }
}
