/**
 * Every error code a runbook step can fail with, and the report category it belongs to: the one
 * place that decides how a failure sorts (src/report/categories.ts maps these to Allure's).
 *
 *  - runbook: the runbook or its run parameters are wrong (an undefined ${VAR}, a target that does
 *    not exist, a guardrail's refusal, bad input caught before sending);
 *  - environment: the target could not be used (auth, TLS, unreachable, timeouts, RBAC);
 *  - stuck: a wait expired while the object was still in transition (a change pending);
 *  - product: a check failed on a settled object, or the server answered an error of its own.
 */

import type { KapiErrorCode } from '../kapi/errors';
import type { KubeErrorCode } from '../kube/errors';
import type { RunbookErrorCode } from './errors';

export type FailureCategory = 'runbook' | 'environment' | 'stuck' | 'product';

export type ErrorCode = RunbookErrorCode | KapiErrorCode | KubeErrorCode | 'WAIT_TIMEOUT';

export const ERROR_CODES = {
  RUNBOOK_CONFIG: 'runbook',
  RUNBOOK_MISSING_PARAMETER: 'runbook',
  RUNBOOK_TARGET_NOT_FOUND: 'runbook',
  RUNBOOK_GUARDRAIL: 'runbook',
  RUNBOOK_CLEANUP: 'runbook',
  KAPI_USAGE: 'runbook',
  RUNBOOK_ENV_AUTH: 'environment',
  RUNBOOK_ENV_TLS: 'environment',
  RUNBOOK_ENV_UNREACHABLE: 'environment',
  RUNBOOK_ENV_TIMEOUT: 'environment',
  RUNBOOK_ENV_RBAC: 'environment',
  KAPI_CONNECTION_ERROR: 'environment',
  KAPI_TIMEOUT: 'environment',
  KAPI_NO_CREDENTIALS: 'environment',
  KAPI_TOKEN_CACHE_CORRUPT: 'environment',
  KAPI_TOKEN_CACHE_UNREADABLE: 'environment',
  KUBE_UNREACHABLE: 'environment',
  RUNBOOK_STUCK: 'stuck',
  WAIT_TIMEOUT: 'stuck',
  RUNBOOK_VERIFY: 'product',
  /** By status: 401, 403, 502, 503, 504 are environment (see categoryOf). */
  KAPI_HTTP_ERROR: 'product',
  /** By status: 401 and 403 are environment (see categoryOf). */
  KUBE_API_ERROR: 'product',
} as const satisfies Record<ErrorCode, FailureCategory>;

/** Statuses of an HTTP answer that say the user's rights or the gateway, not the product. */
const ENVIRONMENT_STATUSES: ReadonlySet<number> = new Set([401, 403, 502, 503, 504]);

const isCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in ERROR_CODES;

/**
 * The category of a failure, by its code (and an HTTP error's status), or by the first coded
 * error in its `cause` chain; undefined when no error in the chain has a code of this list.
 */
export function categoryOf(err: unknown): FailureCategory | undefined {
  for (let e = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, status } = e as { code?: unknown; status?: unknown };
    if (!isCode(code)) continue;
    if ((code === 'KAPI_HTTP_ERROR' || code === 'KUBE_API_ERROR') && ENVIRONMENT_STATUSES.has(Number(status)))
      return 'environment';
    return ERROR_CODES[code];
  }
  return undefined;
}
