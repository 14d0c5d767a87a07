/**
 * JSON merge patches (RFC 7386) that undo an edit made outside the KAPI: built from the object
 * before the edit, checked against the object now, sent through ks-apiserver's proxy of the
 * Kubernetes API (one login for the whole run, as every other write of the runbooks).
 */
import type { KapiClient } from '../kapi/client';
import type { KubeObject } from '../kube/reader';
import { collectionPath, RESOURCES, type ResourceName } from '../kube/resources';
import { sameJson } from './same';

export const MERGE_PATCH = 'application/merge-patch+json';

export type MergePatch = Record<string, unknown>;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Does `obj` already look as the patch would leave it? (null = the key is absent) */
export function holdsMergePatch(obj: unknown, patch: MergePatch): boolean {
  const current = isMap(obj) ? obj : {};
  return Object.entries(patch).every(([key, wanted]) => {
    if (wanted === null) return current[key] === undefined;
    if (isMap(wanted)) return holdsMergePatch(current[key], wanted);
    return sameJson(current[key], wanted);
  });
}

/** The merge patch that gives back each of `keys` of `map` in `obj` (null where the key was absent). */
export function restoringKeys(
  obj: KubeObject | undefined,
  path: ['metadata', 'labels' | 'annotations'] | ['data'],
  keys: string[],
): MergePatch {
  let source: unknown = obj;
  for (const step of path) source = isMap(source) ? source[step] : undefined;
  const values: Record<string, unknown> = {};
  for (const key of keys) values[key] = isMap(source) && key in source ? source[key] : null;
  return path.length === 2 ? { metadata: { [path[1]]: values } } : { data: values };
}

export function objectPath(resource: ResourceName, name: string, namespace?: string): string {
  return `${collectionPath(RESOURCES[resource], namespace)}/${encodeURIComponent(name)}`;
}

export function sendMergePatch(
  kapi: KapiClient,
  resource: ResourceName,
  name: string,
  namespace: string | undefined,
  patch: MergePatch,
): Promise<unknown> {
  return kapi.call({
    method: 'PATCH',
    path: objectPath(resource, name, namespace),
    body: patch,
    contentType: MERGE_PATCH,
  });
}
