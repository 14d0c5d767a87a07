/**
 * Cucumber's result of a step or scenario as every report shows it: cucumber's own status (an
 * undefined, ambiguous or pending step is never "passed"), the failure code and its category, the
 * Allure status that follows from them, and the message with its `[CODE] ` tag first and without
 * the stack (the stack goes to the trace).
 */
import {
  type CategoryName,
  CUCUMBER_CODES,
  categoryOfCode,
  codeFirst,
  codeIn,
  statusOfCategory,
  tagged,
} from './failure-codes';

export type CucumberStatus =
  | 'UNKNOWN'
  | 'PASSED'
  | 'SKIPPED'
  | 'PENDING'
  | 'UNDEFINED'
  | 'AMBIGUOUS'
  | 'FAILED';
export type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown';

/** Cucumber's order, best to worst: a scenario's status is the worst of its steps'. */
export const STATUS_RANK: readonly CucumberStatus[] = [
  'UNKNOWN',
  'PASSED',
  'SKIPPED',
  'PENDING',
  'UNDEFINED',
  'AMBIGUOUS',
  'FAILED',
];

export interface StepResultLike {
  status: string;
  message?: string;
  exception?: { type?: string; message?: string; stackTrace?: string };
}

export interface Outcome {
  status: CucumberStatus;
  allureStatus: AllureStatus;
  code?: string;
  category?: CategoryName;
  /** `[CODE] Name: message`, no stack frames. */
  message?: string;
  /** The full text cucumber gave (message and stack). */
  trace?: string;
}

const STACK_FRAME = /^\s+at /;
/** The message part of a formatted error: everything before the first stack frame. */
export function withoutStack(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => STACK_FRAME.test(l));
  return (at < 0 ? lines : lines.slice(0, at)).join('\n').trimEnd();
}

/** Cucumber's own timeout of a step (it throws a plain Error: its wording is the only mark). */
const CUCUMBER_TIMEOUT = /^(?:Error: )?function timed out, ensure the (?:promise|callback)/;

const OWN_MESSAGES: Partial<Record<CucumberStatus, [string, string]>> = {
  UNDEFINED: [
    CUCUMBER_CODES.UNDEFINED,
    'UndefinedStep: no step definition matches STEP; check its wording (`nodegroup-runbooks steps` lists every step; the closest are below)',
  ],
  PENDING: [
    CUCUMBER_CODES.PENDING,
    'PendingStep: the definition of STEP is not written yet (it returned "pending")',
  ],
  AMBIGUOUS: [
    CUCUMBER_CODES.AMBIGUOUS,
    'AmbiguousStep: several step definitions match this text, STEP; reword one of them',
  ],
};

/** `hint`: for an undefined step, what is wrong with its words (src/report/undefined-hint.ts). */
export function stepOutcome(result: StepResultLike, stepText?: string, hint?: string): Outcome {
  const status = (
    STATUS_RANK.includes(result.status as CucumberStatus) ? result.status : 'UNKNOWN'
  ) as CucumberStatus;
  if (status === 'PASSED') return { status, allureStatus: 'passed' };
  if (status === 'SKIPPED') return { status, allureStatus: 'skipped' };
  if (status === 'UNKNOWN') return { status, allureStatus: 'unknown' };
  const text = result.message ?? result.exception?.stackTrace ?? result.exception?.message ?? '';
  const own = OWN_MESSAGES[status];
  if (own) {
    const [code, what] = own;
    const detail = status === 'AMBIGUOUS' && text ? `:\n${text.trim()}` : '';
    const step = stepText ? `"${stepText}"` : 'this step';
    const said =
      hint && status === 'UNDEFINED'
        ? `UndefinedStep: no step definition matches: ${hint}`
        : what.replace('STEP', step);
    const message = `${tagged(code, said)}${detail}`;
    return {
      status,
      allureStatus: 'broken',
      code,
      category: categoryOfCode(code),
      message,
      trace: text || message,
    };
  }
  let code = codeIn(text);
  let message = codeFirst(withoutStack(text) || '(no message)');
  if (!code && CUCUMBER_TIMEOUT.test(text)) {
    code = CUCUMBER_CODES.TIMEOUT;
    message = tagged(code, message);
  }
  const category = categoryOfCode(code);
  return {
    status,
    allureStatus: statusOfCategory(category),
    ...(code ? { code } : {}),
    ...(category ? { category } : {}),
    message,
    trace: text,
  };
}

/** The worst of a scenario's step outcomes (hooks included), the first of that status; PASSED when none. */
export function worstOutcome(outcomes: readonly Outcome[]): Outcome {
  let worst: Outcome = { status: 'PASSED', allureStatus: 'passed' };
  for (const o of outcomes) if (STATUS_RANK.indexOf(o.status) > STATUS_RANK.indexOf(worst.status)) worst = o;
  return worst;
}
