/**
 * How failures sort in the report (Allure's categories.json). Allure puts a failed or broken result
 * in every category whose `messageRegex` matches its whole status message (Java, DOTALL), so the
 * three are made exclusive with negative lookaheads; what matches none (a bad run parameter, an
 * undefined step, a bug in a step) lands in Allure's default "Test defects".
 *
 * The markers are the runbook library's own wording, kept deliberately:
 *  - environment: BlockedError ("blocked: cannot reach / no credentials / rejected the token /
 *    no answer from ..."), the kubeconfig and Kubernetes API preflight, socket errors, kubectl's
 *    "Unable to connect", cucumber's step timeout ("function timed out"), and KAPI answers 403,
 *    502, 503, 504 (HttpError "METHOD path -> 503 ...");
 *  - stuck controller: a wait on an object still in transition (src/runbook/verify.ts: "wait expired: ");
 *  - product defect: any other assertion on the nodegroup's behaviour: node:assert's AssertionError
 *    in the steps, the library's VerifyError ("expected ..., but it did not hold") and any other
 *    KAPI error that escapes a step (HttpError, e.g. a 500).
 */

export interface Category {
  name: string;
  description: string;
  matchedStatuses: ('failed' | 'broken')[];
  messageRegex: string;
}

const ENVIRONMENT_MARKERS = [
  'blocked: ',
  'cannot reach ',
  'no credentials',
  'rejected the token',
  'no answer from ',
  'cannot read the Kubernetes API',
  'cannot use the kubeconfig',
  'Unable to connect to the server',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'function timed out',
];
/** KAPI answers that mean the server or the user's rights, not the nodegroup: gateway, unavailable, forbidden. */
const ENVIRONMENT_STATUSES = ' -> (?:403|502|503|504)\\b';
const STUCK_MARKER = 'wait expired: ';
/** Any other KAPI error that escapes a step (e.g. a 500) is the product's answer. */
const PRODUCT_MARKERS = ['AssertionError', 'VerifyError', 'HttpError'];

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (markers: string[], ...patterns: string[]) =>
  `(?:${[...markers.map(escapeRegex), ...patterns].join('|')})`;
const ENV = anyOf(ENVIRONMENT_MARKERS, ENVIRONMENT_STATUSES);
const STUCK = anyOf([STUCK_MARKER]);

export const CATEGORIES: Category[] = [
  {
    name: 'Environment problems',
    description: 'The target could not be used: authentication, unreachable hosts, timeouts.',
    matchedStatuses: ['failed', 'broken'],
    messageRegex: `.*${ENV}.*`,
  },
  {
    name: 'Stuck controllers',
    description: 'A wait expired while the object was still in transition: a controller did not finish.',
    matchedStatuses: ['failed', 'broken'],
    messageRegex: `(?!.*${ENV}).*${STUCK}.*`,
  },
  {
    name: 'Product defects',
    description:
      "An assertion on the nodegroup's behaviour failed: it settled in another state than expected.",
    matchedStatuses: ['failed', 'broken'],
    messageRegex: `(?!.*${ENV})(?!.*${STUCK}).*${anyOf(PRODUCT_MARKERS)}.*`,
  },
];

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
