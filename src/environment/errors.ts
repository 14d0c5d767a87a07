/**
 * Errors of choosing and reaching an environment. Each has a stable code and its own exit code, so
 * a script (or CI) can tell "no such environment" from "two clusters" without reading the text.
 * Every one is raised before any request to the target.
 */
import { CodedError } from '../coded-error';

export const ENVIRONMENT_EXIT_CODES = {
  ENV_UNKNOWN: 10,
  ENV_SYNTAX: 11,
  ENV_INLINE_SECRET: 12,
  ENV_INVALID: 13,
  ENV_MISSING_VARIABLE: 14,
  ENV_CONTEXT_MISSING: 15,
  ENV_CLUSTER_MISMATCH: 16,
  ENV_TOOL_MISSING: 17,
  ENV_KUBECONFIG: 18,
  ENV_CREDENTIALS: 19,
  ENV_UNKNOWN_CLUSTER: 21,
} as const;

export type EnvironmentErrorCode = keyof typeof ENVIRONMENT_EXIT_CODES;

export class EnvironmentError extends CodedError<EnvironmentErrorCode> {
  constructor(
    readonly code: EnvironmentErrorCode,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return ENVIRONMENT_EXIT_CODES[this.code];
  }
}

/** The exit code an error stands for: its own for an environment error, else undefined. */
export function environmentExitCode(err: unknown): number | undefined {
  if (err instanceof EnvironmentError) return err.exitCode;
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'RUNBOOK_MISSING_PARAMETER') return ENVIRONMENT_EXIT_CODES.ENV_MISSING_VARIABLE;
  return undefined;
}
