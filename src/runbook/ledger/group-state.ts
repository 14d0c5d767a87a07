/** A nodegroup's state as undo restores it, and the comparison undo and the JSON Patch check share. */
import type { GroupState } from '../../actions/types';
import type { KubeObject } from '../../kube/reader';
import { sameJson } from '../same';

export const groupState = (g: { spec?: unknown; metadata: KubeObject['metadata'] }): GroupState => ({
  spec: { ...((g.spec as Record<string, unknown> | undefined) ?? {}) },
  labels: { ...(g.metadata.labels ?? {}) },
  annotations: { ...(g.metadata.annotations ?? {}) },
});

/** Whether the group's spec, labels and annotations are exactly `s` (absent counts as empty). */
export const hasGroupState = (
  g: { spec?: unknown; metadata: KubeObject['metadata'] } | undefined,
  s: GroupState,
) =>
  g !== undefined &&
  sameJson(g.spec ?? {}, s.spec) &&
  sameJson(g.metadata.labels ?? {}, s.labels) &&
  sameJson(g.metadata.annotations ?? {}, s.annotations);
