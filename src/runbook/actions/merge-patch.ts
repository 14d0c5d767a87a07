/**
 * JSON merge patches (RFC 7386) that undo an edit made outside the KAPI: the edit applied locally,
 * the patch from the object after back to the object before, checked against the object now, sent
 * through ks-apiserver's proxy of the Kubernetes API (one login for the whole run, as every other
 * write of the runbooks).
 */

import type { MergePatch, ObjectEdit } from '../../actions/types';
import type { KapiClient } from '../../kapi/client';
import type { KubeObject } from '../../kube/reader';
import { collectionPath, type ResourceName, resourceRef } from '../../kube/resources';
import { VerifyError } from '../errors';
import { sameJson } from '../same';

const MERGE_PATCH = 'application/merge-patch+json';

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

function objectPath(resource: ResourceName, name: string, namespace?: string): string {
  return `${collectionPath(resourceRef(resource), namespace)}/${encodeURIComponent(name)}`;
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

/** The object after the edit, computed locally (so the ledger can hold its undo before it is sent). */
export function applyEdit(obj: KubeObject, edit: ObjectEdit): KubeObject {
  const copy = structuredClone(obj);
  if (edit.type === 'merge-patch') return mergePatch(copy, edit.patch) as KubeObject;
  if (edit.type === 'json-patch') {
    const { applyPatch } = require('fast-json-patch') as typeof import('fast-json-patch');
    try {
      return applyPatch(copy, edit.operations as never, true, false).newDocument;
    } catch (err) {
      throw new VerifyError(
        `the recommended JSON Patch does not apply to the object as it is now (${(err as Error).message.split('\n')[0]}); diagnose again`,
      );
    }
  }
  const map = { ...(copy.metadata[edit.type] ?? {}) };
  for (const [key, value] of Object.entries(edit.set)) {
    if (value === null) delete map[key];
    else map[key] = value;
  }
  copy.metadata[edit.type] = map;
  return copy;
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The merge patch that turns `from` into `to` (arrays and values replaced whole). */
export function mergeDiff(from: unknown, to: unknown): MergePatch {
  const a = isMap(from) ? from : {};
  const b = isMap(to) ? to : {};
  const patch: MergePatch = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(key in b) || b[key] === undefined) {
      if (a[key] !== undefined) patch[key] = null;
    } else if (isMap(a[key]) && isMap(b[key])) {
      const inner = mergeDiff(a[key], b[key]);
      if (Object.keys(inner).length) patch[key] = inner;
    } else if (!sameJson(a[key], b[key])) patch[key] = b[key];
  }
  return patch;
}
