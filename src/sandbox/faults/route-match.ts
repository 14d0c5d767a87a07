/** Which routes a kapi-errors or latency fault applies to: the options both share. */
import { httpMethod, text } from './schema';

export interface RouteMatch {
  /** A substring of the request path, or a regular expression tested against it. */
  pattern: string;
  /** Only this HTTP method (any when absent). */
  method?: string;
}

export const routeOptions = () => ({
  pattern: text('a substring of the request path or a regular expression (e.g. "/nodegroups")'),
  method: httpMethod(),
});

/** Does a route rule apply to this request? The pattern matches as a substring or as a regex. */
export function routeMatches(rule: RouteMatch, method: string, path: string): boolean {
  if (rule.method && rule.method !== method.toUpperCase()) return false;
  if (path.includes(rule.pattern)) return true;
  try {
    return new RegExp(rule.pattern).test(path);
  } catch {
    return false; // not a valid regex: it was meant as a substring
  }
}
