/**
 * What a failed wait says about the object it waited on: the one field the expectation is about
 * (`label apps.edgewize.io/nodegroup=site-1`, not the whole node), and whether the object is
 * settled: nothing in flight on it (not terminating, a nodegroup reconciled and active, no bind or
 * unbind intent waiting for the controller, its status caught up with its generation). A settled
 * object that does not match will not come to match by waiting: the wait ends early.
 */
import { DESIRED_NODEGROUP_ANNOTATION, NODEGROUP_STATE } from '../../constants';
import type { KubeObject } from '../../kube/reader';

/** A path into an object: ['metadata', 'labels', 'apps.edgewize.io/nodegroup'], ['status', 'state']. */
export type FieldPath = readonly string[];

/** Kinds whose in-flight marks are known here; waits on others (pods, deployments) never end early. */
const SETTLE_KINDS = new Set([
  'Node',
  'Namespace',
  'WorkspaceTemplate',
  'Workspace',
  'NodeGroup',
  'ConfigMap',
]);

function read(obj: unknown, path: FieldPath): unknown {
  let v: unknown = obj;
  for (const key of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The one field, in an operator's words: `label K=V`, `no annotation K`, `status.state=active`. */
export function describeField(obj: KubeObject | undefined, path: FieldPath | undefined): string {
  if (!obj) return 'the object does not exist';
  if (!path || path.length === 0) return describeBriefly(obj);
  const value = read(obj, path);
  const [top, map, key] = path;
  if (top === 'metadata' && (map === 'labels' || map === 'annotations') && key !== undefined) {
    const word = map === 'labels' ? 'label' : 'annotation';
    return value === undefined ? `no ${word} ${key}` : `${word} ${key}=${String(value)}`;
  }
  const name = path.join('.');
  if (value === undefined) return `no ${name}`;
  return `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

/** Without a field: the object's lifecycle only (state, deletion, finalizers), never its whole body. */
function describeBriefly(obj: KubeObject): string {
  const parts: string[] = [];
  const state = (obj['status'] as { state?: string; phase?: string } | undefined) ?? {};
  if (state.state ?? state.phase) parts.push(`state ${state.state ?? state.phase}`);
  if (obj.metadata.deletionTimestamp)
    parts.push(`terminating since ${String(obj.metadata.deletionTimestamp)}`);
  if (obj.metadata.finalizers?.length) parts.push(`finalizers ${obj.metadata.finalizers.join(', ')}`);
  return parts.length ? parts.join('; ') : 'it exists';
}

/** What is still in flight on the object, if anything (undefined: nothing known to be). */
export function stillInTransition(obj: KubeObject | undefined): string | undefined {
  if (!obj) return undefined;
  const { deletionTimestamp, finalizers, annotations, generation } = obj.metadata;
  if (deletionTimestamp) return `terminating (finalizers: ${(finalizers ?? []).join(', ') || 'none'})`;
  const desired = annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (desired !== undefined)
    return `waiting for the controller to apply ${DESIRED_NODEGROUP_ANNOTATION}=${desired || '(unbind)'}`;
  const status = obj['status'] as { state?: string; observedGeneration?: number } | undefined;
  if (obj.kind === 'NodeGroup' && status?.state === undefined) return 'not reconciled (no status.state)';
  if (status?.state !== undefined && obj.kind === 'NodeGroup' && status.state !== NODEGROUP_STATE.active)
    return `in state ${status.state}`;
  if (
    typeof generation === 'number' &&
    typeof status?.observedGeneration === 'number' &&
    status.observedGeneration < generation
  )
    return `not reconciled (generation ${generation}, observed ${status.observedGeneration})`;
  return undefined;
}

/** Whether the wait may judge this object settled: a kind whose marks are known, nothing in flight. */
export function isSettled(obj: KubeObject | undefined, resourceKind: string): boolean {
  if (!SETTLE_KINDS.has(obj?.kind ?? resourceKind)) return false;
  return stillInTransition(obj) === undefined;
}
