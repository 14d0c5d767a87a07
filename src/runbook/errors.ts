/**
 * Errors of the runbook library. Each has a stable `code` (listed with its report category in
 * error-codes.ts), keeps the error underneath as `cause`, and says what to do next, so a step's
 * failure reads as an instruction, not a stack trace.
 */
import { CodedError } from '../coded-error';

export type BlockedCode =
  | 'RUNBOOK_ENV_AUTH'
  | 'RUNBOOK_ENV_TLS'
  | 'RUNBOOK_ENV_UNREACHABLE'
  | 'RUNBOOK_ENV_TIMEOUT'
  | 'RUNBOOK_ENV_RBAC';

export type RunbookErrorCode =
  | 'RUNBOOK_CONFIG'
  | 'RUNBOOK_MISSING_PARAMETER'
  | 'RUNBOOK_TARGET_NOT_FOUND'
  | 'RUNBOOK_GUARDRAIL'
  | BlockedCode
  | 'RUNBOOK_STUCK'
  | 'RUNBOOK_VERIFY'
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
      `"${text}" needs \${${variable}}, which has no value (nothing was changed on the target). ` +
        `Set it one of three ways: vars: { ${variable}: ... } in the environment file ` +
        `(environments/<name>.yaml), RUNBOOK_VAR_${variable}=... in the environment, or ` +
        `--world-parameters '{"vars":{"${variable}":"..."}}'. A bare ${variable}=... is never read.`,
    );
  }
}

/** What a runbook names does not exist on the target (a typo, or a run parameter for another cluster). */
export class TargetNotFoundError extends RunbookError {
  readonly code = 'RUNBOOK_TARGET_NOT_FOUND' as const;
}

/** A destructive operation refused on a target other than the embedded sandbox. */
export class GuardrailError extends RunbookError {
  readonly code = 'RUNBOOK_GUARDRAIL' as const;
}

/** The operation cannot run here (no credentials, host unreachable): says what is missing and what to run. */
export class BlockedError extends RunbookError {
  constructor(
    /** Why: auth, TLS, unreachable, timeout or RBAC. */
    readonly code: BlockedCode,
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

/**
 * An after-state check that did not hold. `stuck`: the object was still in transition when the
 * wait expired (a controller has not finished: RUNBOOK_STUCK); otherwise it settled in another
 * state than expected (RUNBOOK_VERIFY).
 */
export class VerifyError extends RunbookError {
  readonly code: 'RUNBOOK_VERIFY' | 'RUNBOOK_STUCK';
  constructor(message: string, options?: ErrorOptions & { stuck?: boolean }) {
    super(message, options);
    this.code = options?.stuck ? 'RUNBOOK_STUCK' : 'RUNBOOK_VERIFY';
  }
}

/** A wait ran out with the object still in transition: a controller has not finished its work. */
export class WaitExpiredError extends VerifyError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, stuck: true });
  }
}

/** Undoing the ledger failed: the target may still carry changes of the run. */
export class CleanupError extends RunbookError {
  readonly code = 'RUNBOOK_CLEANUP' as const;
  constructor(
    message: string,
    readonly failures: { entry: string; error: string }[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
