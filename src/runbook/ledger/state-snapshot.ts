/**
 * A comparable snapshot of what runbooks may touch (nodegroups, the binding targets, IPPools,
 * the config): names, labels, annotations, finalizers, spec and state, without the
 * fields every write bumps. Used to prove that cleanup or revert restored the pre-run state.
 */

import { BINDING_KINDS } from '../../binding-kinds';
import type { KubeObject, KubeReader } from '../../kube/reader';
import { RESOURCES, type ResourceName } from '../../kube/resources';
import { sameJson } from '../same';

const COMPARED: ResourceName[] = ['nodegroup', ...BINDING_KINDS, 'workspacetemplate', 'ippool', 'configmap'];

export type StateSnapshot = Record<string, unknown>;

function essentials(obj: KubeObject): unknown {
  const { labels, annotations, finalizers, deletionTimestamp } = obj.metadata;
  const status = obj['status'] as { state?: unknown } | undefined;
  return {
    labels: labels ?? {},
    annotations: annotations ?? {},
    finalizers: finalizers ?? [],
    deleting: deletionTimestamp !== undefined,
    spec: obj['spec'],
    data: obj['data'],
    state: status?.state,
  };
}

export async function snapshotState(kube: KubeReader): Promise<StateSnapshot> {
  const snapshot: StateSnapshot = {};
  for (const resource of COMPARED) {
    const { items } = await kube.list(RESOURCES[resource]);
    for (const obj of items)
      snapshot[
        `${resource}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`
      ] = essentials(obj);
  }
  return snapshot;
}

/** What differs, one line per object: `added nodegroup/x`, `changed node/worker-3: labels`. */
export function diffState(before: StateSnapshot, after: StateSnapshot): string[] {
  const lines: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key] as Record<string, unknown> | undefined;
    const b = after[key] as Record<string, unknown> | undefined;
    if (!a) lines.push(`added ${key}`);
    else if (!b) lines.push(`removed ${key}`);
    else {
      const fields = Object.keys(a).filter((f) => !sameJson(a[f], b[f]));
      if (fields.length)
        lines.push(
          `changed ${key}: ${fields.map((f) => `${f} ${JSON.stringify(a[f])} -> ${JSON.stringify(b[f])}`).join('; ')}`,
        );
    }
  }
  return lines.sort();
}
