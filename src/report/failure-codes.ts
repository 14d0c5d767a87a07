/**
 * Failure codes: the one machine form in which a failure's kind travels from the step that threw
 * to every report. A step's error is stamped with its code where it leaves the step
 * (support/report.ts); the formatters write it as the `[CODE] ` prefix of the Allure status
 * message and read it back for the console and the summary. Categories are decided from the code
 * alone, never from the wording of a message.
 *
 * The code of an error is its own `code` (CodedError, node:assert's ERR_ASSERTION, a system
 * error's ECONNREFUSED), the first one found along its `cause` chain; an HttpError's code names
 * the status (`KAPI_HTTP_404`), since the status says who must act. Cucumber's own outcomes get
 * codes of their own (CUCUMBER_*): a step without a definition, with two, pending, timed out.
 */

import { ERROR_CODES } from '../runbook/error-codes';

export const CATEGORY = {
  runbook: 'Runbook errors',
  product: 'Product defects',
  stuck: 'Stuck controllers',
  environment: 'Environment problems',
  cleanup: 'Changes left behind',
} as const;
export type CategoryName = (typeof CATEGORY)[keyof typeof CATEGORY];

/** Codes cucumber's outcomes get (no error object exists for them). */
export const CUCUMBER_CODES = {
  UNDEFINED: 'CUCUMBER_UNDEFINED_STEP',
  AMBIGUOUS: 'CUCUMBER_AMBIGUOUS_STEP',
  PENDING: 'CUCUMBER_PENDING_STEP',
  TIMEOUT: 'CUCUMBER_STEP_TIMEOUT',
} as const;

/** HTTP statuses that are the environment's (auth, RBAC, rate limit, gateway, unavailable). */
const ENVIRONMENT_STATUSES = [401, 403, 407, 429, 502, 503, 504];

/** Who must act, by code. A code not listed here is a defect of the runbook code itself. */
export const CATEGORY_OF_CODE: Readonly<Record<string, CategoryName>> = {
  // The library's own codes, as src/runbook/error-codes.ts sorts them.
  ...Object.fromEntries(Object.entries(ERROR_CODES).map(([code, category]) => [code, CATEGORY[category]])),
  [CUCUMBER_CODES.UNDEFINED]: CATEGORY.runbook,
  [CUCUMBER_CODES.AMBIGUOUS]: CATEGORY.runbook,
  [CUCUMBER_CODES.PENDING]: CATEGORY.runbook,
  KAPI_HTTP_404: CATEGORY.runbook,
  ERR_ASSERTION: CATEGORY.product,
  [CUCUMBER_CODES.TIMEOUT]: CATEGORY.environment,
  ...Object.fromEntries(ENVIRONMENT_STATUSES.map((s) => [`KAPI_HTTP_${s}`, CATEGORY.environment])),
  ...Object.fromEntries(
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ETIMEDOUT',
      'EAI_AGAIN',
      'EPIPE',
      'CERT_HAS_EXPIRED',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ].map((c) => [c, CATEGORY.environment]),
  ),

  RUNBOOK_CLEANUP: CATEGORY.cleanup,
};

/** Any other KAPI status escaping a step (a 500, a 409 the runbook did not expect) is the product's answer. */
const HTTP_CODE = /^KAPI_HTTP_\d{3}$/;

export function categoryOfCode(code: string | undefined): CategoryName | undefined {
  if (!code) return undefined;
  return CATEGORY_OF_CODE[code] ?? (HTTP_CODE.test(code) ? CATEGORY.product : undefined);
}

/** The Allure status a category's failures get: product defects are red (failed), the rest broken. */
export const statusOfCategory = (category: CategoryName | undefined): 'failed' | 'broken' =>
  category === CATEGORY.product ? 'failed' : 'broken';

const CODE_SHAPE = /^[A-Z][A-Z0-9_]{2,}$/;

/** The code of an error: its own, else the first along its cause chain; undefined when none has one. */
export function failureCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; status?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    if (e.code === 'KAPI_HTTP_ERROR' && typeof e.status === 'number') return `KAPI_HTTP_${e.status}`;
    if (typeof e.code === 'string' && CODE_SHAPE.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** `[CODE] ` at the start of a text (the form every report writes). */
const TAG = /^\[([A-Z][A-Z0-9_]{2,})\] /;
/** The same tag after the error's name, as a stamped error's message arrives: `VerifyError: [CODE] ...`. */
const TAG_AFTER_NAME = /^([\w$.]+(?: \[[A-Z_]+\])?: )\[([A-Z][A-Z0-9_]{2,})\] /;

export const tagged = (code: string, text: string) => `[${code}] ${text}`;

/** The code a text carries in its tag, at its start or after the error's name. */
export function codeIn(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return TAG.exec(text)?.[1] ?? TAG_AFTER_NAME.exec(text)?.[2];
}

/** `Name: [CODE] message` (a stamped error as cucumber prints it) -> `[CODE] Name: message`. */
export function codeFirst(text: string): string {
  const m = TAG_AFTER_NAME.exec(text);
  return m ? `[${m[2]}] ${m[1]}${text.slice(m[0].length)}` : text;
}

/** The text without its tag (for an operator's eyes). */
export function untagged(text: string): string {
  const m = TAG_AFTER_NAME.exec(text);
  if (m) return `${m[1]}${text.slice(m[0].length)}`;
  return text.replace(TAG, '');
}

/**
 * Stamp an error with its code where it leaves a step: `[CODE] ` opens its message, and its stack
 * (whose first line repeats the message) says the same, so every formatter prints the code.
 * Idempotent; an error without a code is left as it is.
 */
export function stampError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = failureCode(err);
  if (!code || codeIn(err.message) || codeIn(`${err.name}: ${err.message}`)) return err;
  const before = err.message;
  const after = tagged(code, before);
  try {
    // Read first: V8 formats the stack lazily, from the message as it is at that moment.
    const stack = err.stack;
    err.message = after;
    if (typeof stack === 'string')
      err.stack = before && stack.includes(before) ? stack.replace(before, after) : stack;
  } catch {
    // a frozen error keeps its text; its category then falls back to the runbook code's defects
  }
  return err;
}
