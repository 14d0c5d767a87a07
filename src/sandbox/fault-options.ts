/**
 * The faults the sandbox can inject and the options each takes, validated with messages that say
 * exactly what is wrong (400 on the control API).
 */
import { describeValue } from './http';
import { badRequest } from './status';

export const FAULT_NAMES = [
  'controller-paused',
  'stuck-finalizer',
  'ippool-sync',
  'kapi-errors',
  'latency',
  'token-expiry',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export const isFaultName = (name: string): name is FaultName =>
  (FAULT_NAMES as readonly string[]).includes(name);

/** Which routes a kapi-errors or latency fault applies to. */
export interface RouteMatch {
  /** A substring of the request path, or a regular expression tested against it. */
  pattern: string;
  /** Only this HTTP method (any when absent). */
  method?: string;
}

export interface FaultOptions {
  'controller-paused': Record<string, never>;
  'stuck-finalizer': { nodegroup: string };
  'ippool-sync': Record<string, never>;
  'kapi-errors': RouteMatch & { status: number; count?: number };
  latency: RouteMatch & { ms: number };
  'token-expiry': Record<string, never>;
}

const ALLOWED: Record<FaultName, string[]> = {
  'controller-paused': [],
  'stuck-finalizer': ['nodegroup'],
  'ippool-sync': [],
  'kapi-errors': ['pattern', 'status', 'count', 'method'],
  latency: ['pattern', 'ms', 'method'],
  'token-expiry': [],
};

const MAX_LATENCY_MS = 60_000;

function integerIn(name: FaultName, key: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(
      `fault "${name}": option "${key}" must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function routeMatch(name: FaultName, raw: Record<string, unknown>): RouteMatch {
  const { pattern, method } = raw;
  if (typeof pattern !== 'string' || pattern === '') {
    throw badRequest(
      `fault "${name}": option "pattern" is required: a substring of the request path or a regular expression (e.g. "/nodegroups")`,
    );
  }
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    throw badRequest(
      `fault "${name}": option "method" must be an HTTP method such as "GET", got ${JSON.stringify(method)}`,
    );
  }
  return method === undefined ? { pattern } : { pattern, method: method.toUpperCase() };
}

/** Check a PUT body against the fault's options; returns the normalised options. */
export function parseFaultOptions<N extends FaultName>(name: N, body: unknown): FaultOptions[N] {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(
      `fault "${name}": the body must be a JSON object of options, got ${describeValue(body)}`,
    );
  }
  const raw = body as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !ALLOWED[name].includes(key));
  if (unknown.length) {
    const takes = ALLOWED[name].length
      ? `its options are ${ALLOWED[name].join(', ')}`
      : 'it takes no options';
    throw badRequest(`fault "${name}" has no option ${unknown.map((k) => `"${k}"`).join(', ')}: ${takes}`);
  }
  switch (name) {
    case 'stuck-finalizer': {
      if (typeof raw.nodegroup !== 'string' || raw.nodegroup === '') {
        throw badRequest(
          'fault "stuck-finalizer": option "nodegroup" is required: the name of the group whose finalizer sticks',
        );
      }
      return { nodegroup: raw.nodegroup } as FaultOptions[N];
    }
    case 'kapi-errors': {
      const status = integerIn(name, 'status', raw.status, 400, 599);
      const out: FaultOptions['kapi-errors'] = { ...routeMatch(name, raw), status };
      if (raw.count !== undefined) out.count = integerIn(name, 'count', raw.count, 1, 1_000_000);
      return out as FaultOptions[N];
    }
    case 'latency':
      return {
        ...routeMatch(name, raw),
        ms: integerIn(name, 'ms', raw.ms, 0, MAX_LATENCY_MS),
      } as FaultOptions[N];
    default:
      return {} as FaultOptions[N];
  }
}

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
