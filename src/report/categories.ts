/**
 * How failures sort in the report (Allure's categories.json), decided by failure code only
 * (src/report/failure-codes.ts): every failed or broken result's status message opens with
 * `[CODE] `, written by the formatter from the code the step's error carried. Each category
 * matches the codes of its list and nothing else, so the categories are exclusive by
 * construction; a result with a code in no list (a bug in a step: a TypeError) lands in Allure's
 * default "Test defects". Product defects are red (status failed), the others broken.
 */
import {
  CATEGORY,
  CATEGORY_OF_CODE,
  type CategoryName,
  categoryOfCode,
  codeIn,
  statusOfCategory,
} from './failure-codes';

export interface Category {
  name: string;
  description: string;
  matchedStatuses: ('failed' | 'broken')[];
  messageRegex: string;
}

const DESCRIPTIONS: Record<CategoryName, string> = {
  [CATEGORY.runbook]:
    'The runbook is wrong: a step no definition matches (or two do), a variable with no value, an object it names that does not exist, a guardrail refusal. Fix the runbook or its parameters.',
  [CATEGORY.product]:
    "A check on the nodegroup's behaviour failed on a settled object: the product did something else. Report it to the nodegroup team.",
  [CATEGORY.stuck]:
    'A wait expired with the change still in flight (terminating, not reconciled, intent not applied): a controller did not finish. Look at the controller.',
  [CATEGORY.environment]:
    'The target could not be used: authentication, TLS, an unreachable host, RBAC, a gateway or a timeout. Fix the access.',
  [CATEGORY.cleanup]:
    'Undoing the scenario failed: the target may still carry its changes. Run the revert command of the summary.',
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function codesOf(name: CategoryName): string[] {
  return Object.entries(CATEGORY_OF_CODE)
    .filter(([, c]) => c === name)
    .map(([code]) => code);
}

/** `[CODE] ` for the codes of a category (product defects: also any KAPI status no other lists). */
function regexOf(name: CategoryName): string {
  const listed = codesOf(name).map(escapeRegex).join('|');
  if (name !== CATEGORY.product) return `\\[(?:${listed})\\] .*`;
  const taken = Object.keys(CATEGORY_OF_CODE)
    .filter((c) => c.startsWith('KAPI_HTTP_'))
    .map(escapeRegex)
    .join('|');
  return `\\[(?:${listed}|(?!(?:${taken})\\])KAPI_HTTP_\\d{3})\\] .*`;
}

export const CATEGORIES: Category[] = Object.values(CATEGORY).map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  matchedStatuses: [statusOfCategory(name)],
  messageRegex: regexOf(name),
}));

/** The category names a result falls in, matched as Allure 2 does (whole message, DOTALL). */
export function categorize(
  result: { status?: string; statusDetails?: { message?: string; trace?: string } },
  categories: Category[] = CATEGORIES,
): string[] {
  const message = result.statusDetails?.message;
  return categories
    .filter(
      (c) =>
        (c.matchedStatuses.length === 0 || c.matchedStatuses.includes(result.status as 'failed')) &&
        message !== undefined &&
        new RegExp(`^(?:${c.messageRegex})$`, 's').test(message),
    )
    .map((c) => c.name);
}

/** The category of a report message from its code (what categories.json decides, without regexes). */
export const categoryOfMessage = (message: string | undefined): CategoryName | undefined =>
  categoryOfCode(codeIn(message));
