/**
 * PATCH bodies as the API server takes them: JSON Patch (RFC 6902), JSON merge patch (RFC 7386)
 * and strategic merge patch for the built-in kinds. Each returns a new object and never touches
 * its input, so a patch that fails leaves the stored object as it was.
 * Limits: strategic merge knows list merge keys by field name (the built-in kinds' common
 * fields), not from an OpenAPI schema; `$setElementOrder` and `$retainKeys` are ignored.
 */
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import type { ResourceKind } from '../store/kinds';
import { StatusError } from '../store/status';
import { describeValue, parseBodyText } from './http';

export type PatchType = 'json' | 'merge' | 'strategic';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

/** The patch type a Content-Type names, or the 415 the API server answers. */
export function patchTypeOf(contentType: string, kind: ResourceKind): PatchType {
  if (contentType === 'application/apply-patch+yaml') {
    throw new StatusError(
      'UnsupportedMediaType',
      'server-side apply (application/apply-patch+yaml) is not supported by the sandbox; use kubectl apply without --server-side, or a merge or JSON patch',
    );
  }
  const type = PATCH_TYPES[contentType];
  if (!type) {
    throw new StatusError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (Content-Type "${contentType || '(none)'}") - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`,
    );
  }
  if (type === 'strategic' && !kind.strategicMerge) {
    throw new StatusError(
      'UnsupportedMediaType',
      `strategic merge patch is not supported for ${kind.group ? `${kind.group}/` : ''}${kind.kind}; use application/merge-patch+json or application/json-patch+json`,
    );
  }
  return type;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse a patch body (JSON; YAML is accepted as its superset) and apply it to `target`. */
export function applyPatchText<T extends object>(target: T, text: string, type: PatchType): T {
  if (text.trim() === '') throw new StatusError('BadRequest', 'the patch body is empty');
  const patch = parseBodyText(text, 'json');
  if (type === 'json') return applyJsonPatch(target, patch);
  if (!isObject(patch)) {
    throw new StatusError(
      'BadRequest',
      `a ${type} merge patch must be a JSON object, got ${describeValue(patch)}`,
    );
  }
  const result =
    type === 'merge' ? mergePatch(target as Json, patch) : strategicMerge(target as Json, patch, '');
  return result as T;
}

/** fast-json-patch errors that say the patch itself is malformed (400), not that it does not apply (422). */
const MALFORMED = new Set([
  'SEQUENCE_NOT_AN_ARRAY',
  'OPERATION_NOT_AN_OBJECT',
  'OPERATION_OP_INVALID',
  'OPERATION_PATH_INVALID',
  'OPERATION_FROM_REQUIRED',
  'OPERATION_VALUE_REQUIRED',
  'OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED',
]);

export function applyJsonPatch<T>(target: T, patch: unknown): T {
  if (!Array.isArray(patch)) {
    throw new StatusError(
      'BadRequest',
      `a JSON Patch must be a JSON array of operations, got ${describeValue(patch)}`,
    );
  }
  try {
    // mutateDocument=false: applied to a clone, so a failing operation leaves `target` intact.
    return applyPatch(target, patch as Operation[], true, false).newDocument;
  } catch (err) {
    if (!(err instanceof JsonPatchError)) throw err;
    const op = err.operation as { op?: string; path?: string } | undefined;
    const where = `operation ${err.index ?? 0} (${op?.op ?? '?'} ${op?.path ?? '?'})`;
    const why =
      err.name === 'TEST_OPERATION_FAILED'
        ? 'test failed: the value at the path is not the expected value'
        : err.message.split('\n')[0];
    const reason = MALFORMED.has(err.name) ? 'BadRequest' : 'Invalid';
    throw new StatusError(reason, `the JSON Patch does not apply: ${where}: ${why}`);
  }
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key] ?? null, value);
  }
  return out;
}

/** List fields merged element by element, by this key (Kubernetes' patchMergeKey). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  conditions: 'type',
  addresses: 'type',
  taints: 'key',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
};
/** Lists of scalars whose patch strategy is merge (a union), e.g. ObjectMeta.finalizers. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

const DIRECTIVE = '$patch';
const DELETE_FROM = '$deleteFromPrimitiveList/';
const IGNORED_PREFIXES = ['$setElementOrder/', '$retainKeys'];

/** Strategic merge patch of one map; `field` is the name the map sits under (for list keys). */
export function strategicMerge(target: Json, patch: JsonObject, field: string): Json {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined && directive !== 'replace' && directive !== 'delete' && directive !== 'merge') {
    throw new StatusError(
      'BadRequest',
      `unknown $patch directive "${String(directive)}" in field "${field}"`,
    );
  }
  if (directive === 'replace') return withoutDirectives(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || IGNORED_PREFIXES.some((p) => key.startsWith(p))) continue;
    if (key.startsWith(DELETE_FROM)) {
      const listName = key.slice(DELETE_FROM.length);
      const current = out[listName];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[listName] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
      }
      continue;
    }
    if (value === null) delete out[key];
    else if (isObject(value) && value[DIRECTIVE] === 'delete') delete out[key];
    else if (isObject(value)) out[key] = strategicMerge(out[key] ?? null, value, key);
    else if (Array.isArray(value)) out[key] = mergeList(out[key], value, key);
    else out[key] = value;
  }
  return out;
}

function mergeList(current: Json | undefined, patch: Json[], field: string): Json {
  if (patch.some((item) => isObject(item) && item[DIRECTIVE] === 'replace')) {
    return patch.filter((item) => !(isObject(item) && item[DIRECTIVE] === 'replace')).map(clean);
  }
  const existing = Array.isArray(current) ? current : [];
  if (MERGED_SCALAR_LISTS.has(field)) {
    const out = [...existing];
    for (const item of patch) if (!out.some((v) => deepEqual(v, item))) out.push(item);
    return out;
  }
  const mergeKey = MERGE_KEYS[field];
  if (!mergeKey || !patch.every(isObject)) return patch.map(clean);
  const out: Json[] = [...existing];
  for (const item of patch as JsonObject[]) {
    const key = item[mergeKey];
    if (key === undefined) {
      throw new StatusError('BadRequest', `an element of list "${field}" has no merge key "${mergeKey}"`);
    }
    const index = out.findIndex((v) => isObject(v) && deepEqual(v[mergeKey] ?? null, key));
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = strategicMerge(out[index] ?? null, item, field);
    else out.push(withoutDirectives(item));
  }
  return out;
}

const clean = (v: Json): Json => (isObject(v) ? withoutDirectives(v) : v);

/** A patch map taken as a value: directives removed at every level. */
function withoutDirectives(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    out[key] = Array.isArray(value) ? value.map(clean) : clean(value);
  }
  return out;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as JsonObject)[k] ?? null, (b as JsonObject)[k] ?? null));
}
