/**
 * Label and field selectors with Kubernetes' grammar: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated (all must hold). Field selectors support
 * `metadata.name` and `metadata.namespace` on every kind, plus the fields Kubernetes supports for
 * pods, events, nodes and namespaces (what `kubectl describe` asks for), with `=`, `==`, `!=`.
 */
import type { KubeObject } from './object';
import { badRequest } from './status';

export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Matcher = (obj: KubeObject) => boolean;

const matchAll: Matcher = () => true;

/** Split on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value "${value}" in selector "${selector}"`);
  }
  return value;
}

export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term): Requirement => {
    const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (setMatch) {
      const [, key, op, list] = setMatch as unknown as [string, string, 'in' | 'notin', string];
      const values = list
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0)
        .map((v) => checkValue(v, selector));
      return { key: checkKey(key, selector), op, values };
    }
    const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eqMatch) {
      const [, key, op, value] = eqMatch as unknown as [string, string, string, string];
      return {
        key: checkKey(key, selector),
        op: op === '!=' ? 'neq' : 'eq',
        value: checkValue(value, selector),
      };
    }
    if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim(), selector), op: 'notexists' };
    if (/^\S+$/.test(term)) return { key: checkKey(term, selector), op: 'exists' };
    throw badRequest(`unable to parse requirement: "${term}" in selector "${selector}"`);
  });
}

function matches(labels: Record<string, string> | undefined, r: Requirement): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'eq':
      return has && value === r.value;
    case 'neq':
      return !has || value !== r.value;
    case 'in':
      return has && r.values.includes(value as string);
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
  }
}

/** The requirements an index by `key=value` can answer: `=`, `==` and `in`, as key + values. */
export function indexableRequirements(
  requirements: readonly Requirement[],
): { key: string; values: string[] }[] {
  const out: { key: string; values: string[] }[] = [];
  for (const r of requirements) {
    if (r.op === 'eq') out.push({ key: r.key, values: [r.value] });
    else if (r.op === 'in') out.push({ key: r.key, values: r.values });
  }
  return out;
}

/** A label selector as text, or already parsed (the store parses once for its index too). */
export function labelMatcher(selector: string | undefined | readonly Requirement[]): Matcher {
  const requirements = typeof selector === 'object' ? selector : parseLabelSelector(selector);
  if (requirements.length === 0) return matchAll;
  return (obj) => requirements.every((r) => matches(obj.metadata.labels, r));
}

type FieldReader = (obj: KubeObject) => string;

/** The value at a dotted path as Kubernetes' field selectors compare it ('' when absent). */
const at = (path: string): FieldReader => {
  const keys = path.split('.');
  return (obj) => {
    let value: unknown = obj;
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
    return value === undefined || value === null ? '' : String(value);
  };
};

const COMMON_FIELDS: Record<string, FieldReader> = {
  'metadata.name': (obj) => obj.metadata.name ?? '',
  'metadata.namespace': (obj) => obj.metadata.namespace ?? '',
};

/** Per-resource fields, after kube-apiserver's field label conversion functions. */
const RESOURCE_FIELDS: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
};

/** Fields whose value is not simply the string at their path. */
const SPECIAL_READERS: Record<string, FieldReader> = {
  // an Event's `source` field is its reporting component's name
  'events:source': at('source.component'),
  // a node that was never cordoned has no spec.unschedulable: Kubernetes compares "false"
  'nodes:spec.unschedulable': (obj) => String(at('spec.unschedulable')(obj) === 'true'),
};

/** Field readers per resource ('' = the common fields only), built once on first use. */
const fieldsByResource = new Map<string, ReadonlyMap<string, FieldReader>>();

function fieldsOf(resource = ''): ReadonlyMap<string, FieldReader> {
  let fields = fieldsByResource.get(resource);
  if (!fields) {
    const built = new Map(Object.entries(COMMON_FIELDS));
    for (const path of RESOURCE_FIELDS[resource] ?? [])
      built.set(path, SPECIAL_READERS[`${resource}:${path}`] ?? at(path));
    fields = built;
    fieldsByResource.set(resource, fields);
  }
  return fields;
}

/** A field selector for `resource` (the common fields only when none is given). */
export function fieldMatcher(selector: string | undefined, resource?: string): Matcher {
  if (!selector) return matchAll;
  const fields = fieldsOf(resource);
  const tests = splitTerms(selector).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector "${selector}": expected FIELD=VALUE or FIELD!=VALUE`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const read = fields.get(field);
    if (!read) {
      throw badRequest(
        `field label not supported: ${field} (supported${resource ? ` for ${resource}` : ''}: ${[...fields.keys()].join(', ')})`,
      );
    }
    return op === '!=' ? (obj: KubeObject) => read(obj) !== value : (obj: KubeObject) => read(obj) === value;
  });
  return (obj) => tests.every((t) => t(obj));
}

export function selectorMatcher(
  labelSelector?: string | readonly Requirement[],
  fieldSelector?: string,
  resource?: string,
): Matcher {
  const byLabel = labelMatcher(labelSelector);
  const byField = fieldMatcher(fieldSelector, resource);
  if (byLabel === matchAll) return byField;
  if (byField === matchAll) return byLabel;
  return (obj) => byField(obj) && byLabel(obj);
}
