/**
 * What the twin keeps of an object read from a live environment, and the content hash drift is
 * judged by. Nothing secret is copied: no Secrets are read at all, and of the objects read the
 * fields that may carry credentials or are the server's bookkeeping are dropped:
 * - metadata.managedFields (bookkeeping, large) and metadata.selfLink;
 * - the annotation kubectl.kubernetes.io/last-applied-configuration (a full copy of what was
 *   applied, env values included);
 * - the literal value of every container env variable (pods, deployment templates): the name
 *   stays, the value becomes NOT_COPIED (references such as valueFrom stay: they name, not hold).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/reader';

/** An object as the twin copies it: a Kubernetes object as read, its times as the JSON strings they are. */
export type TwinObject = KubeObject & { metadata: { deletionTimestamp?: string } };

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** What an env variable's literal value becomes in the twin. */
export const NOT_COPIED = '(not copied by the twin import)';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function redactContainers(podSpec: unknown): void {
  if (!isObject(podSpec)) return;
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = podSpec[key];
    if (!Array.isArray(list)) continue;
    for (const container of list) {
      if (!isObject(container) || !Array.isArray(container['env'])) continue;
      for (const variable of container['env'])
        if (isObject(variable) && 'value' in variable) variable['value'] = NOT_COPIED;
    }
  }
}

/**
 * The object as the twin stores it (changed in place and returned): typed (a list's items may lack
 * apiVersion and kind), without the fields above.
 */
export function sanitize(obj: TwinObject, type: { apiVersion: string; kind: string }): TwinObject {
  obj.apiVersion = type.apiVersion;
  obj.kind = type.kind;
  const meta = obj.metadata;
  delete meta['managedFields'];
  delete meta['selfLink'];
  if (meta.annotations && LAST_APPLIED_ANNOTATION in meta.annotations) {
    delete meta.annotations[LAST_APPLIED_ANNOTATION];
  }
  if (type.kind === 'Pod') redactContainers(obj['spec']);
  if (type.kind === 'Deployment') {
    const spec = obj['spec'];
    if (isObject(spec) && isObject(spec['template'])) redactContainers(spec['template']['spec']);
  }
  return obj;
}

/**
 * Fields that change without anyone changing the object (the kubelet's heartbeat): not content.
 * A node's conditions carry lastHeartbeatTime, renewed every few minutes on a real cluster.
 */
const VOLATILE = new Set(['lastHeartbeatTime', 'resourceVersion', 'managedFields']);

/** A copy with object keys sorted and volatile fields left out (native JSON.stringify does the rest, fast). */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (!isObject(value)) return value;
  const copy: Json = {};
  for (const key of Object.keys(value).sort()) if (!VOLATILE.has(key)) copy[key] = sortedCopy(value[key]);
  return copy;
}

/** JSON with object keys sorted and volatile fields left out: equal content, equal text. */
export const canonicalJSON = (value: unknown): string => JSON.stringify(sortedCopy(value)) ?? 'null';

/** sha256 of the canonical JSON: what "content unchanged" means when a resourceVersion differs. */
export const contentHash = (obj: TwinObject): string =>
  `sha256:${createHash('sha256').update(canonicalJSON(obj)).digest('hex')}`;

/** Whether a key is left out of content comparison (the diff uses the same rule). */
export const isVolatileField = (key: string): boolean => VOLATILE.has(key);
