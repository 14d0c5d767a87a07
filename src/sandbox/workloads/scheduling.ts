/**
 * The scheduler and the kubelet as the sandbox plays them: a pod without `spec.nodeName` is bound
 * to the node `chooseNode` picks (event Scheduled) and at once runs Ready there, as a kubelet with
 * an image already pulled would; with no node it stays Pending with `PodScheduled=False`
 * (Unschedulable) and a FailedScheduling event, and is tried again whenever a node changes.
 */
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';
import { type ComponentEvents, SCHEDULER_COMPONENT } from './component-events';
import { chooseNode } from './scheduler';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export const nodeNameOf = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;

function running(pod: KubeObject): Record<string, unknown> {
  const at = now();
  const containers = ((pod.spec as { containers?: { name: string; image?: string }[] }).containers ?? []).map(
    (c) => ({
      name: c.name,
      image: c.image,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: at } },
    }),
  );
  return {
    phase: 'Running',
    conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
      type,
      status: 'True',
      lastTransitionTime: at,
    })),
    containerStatuses: containers,
    startTime: at,
  };
}

/** Bind (and run) the pod, or mark it unschedulable; a pod already bound is left alone. */
export function schedulePod(store: ObjectStore, events: ComponentEvents, pod: KubeObject): void {
  if (nodeNameOf(pod) || pod.metadata.deletionTimestamp) return;
  const ns = pod.metadata.namespace!;
  const name = pod.metadata.name!;
  const load = new Map<string, number>();
  for (const p of store.list('pods').items) {
    const node = nodeNameOf(p);
    if (node) load.set(node, (load.get(node) ?? 0) + 1);
  }
  const choice = chooseNode(pod, store.list('nodes').items, (node) => load.get(node) ?? 0);
  if ('node' in choice) {
    const bound = store.mutate('pods', ns, name, (p) => {
      p.spec = { ...(p.spec as object), nodeName: choice.node };
      p.status = running(p);
    });
    events.record(
      SCHEDULER_COMPONENT,
      'pods',
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${name} to ${choice.node}`,
    );
    return;
  }
  const pending = store.mutate('pods', ns, name, (p) => {
    const status = (p.status ?? {}) as { conditions?: { type: string; message?: string }[] };
    const was = status.conditions?.find((c) => c.type === 'PodScheduled');
    if (was?.message === choice.unschedulable) return false;
    p.status = {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: choice.unschedulable,
          lastTransitionTime: now(),
        },
      ],
    };
  });
  events.record(SCHEDULER_COMPONENT, 'pods', pending, 'Warning', 'FailedScheduling', choice.unschedulable);
}
