/**
 * The scheduler's choice for one pod, after kube-scheduler's default filters in their order:
 * NodeUnschedulable (spec.unschedulable), TaintToleration (NoSchedule taints the pod does not
 * tolerate; a node that is not Ready carries `node.kubernetes.io/not-ready` as the node lifecycle
 * controller taints it), NodeAffinity (the pod's nodeSelector). Each node fails on its first
 * filter, as the framework stops there. Among the nodes left, the one with the fewest pods wins
 * (spreading; ties by name). With none left, the FitError message kube-scheduler 1.32 writes.
 * Limits: no resources, ports, affinity terms, topology spread or preemption.
 */
import type { KubeObject } from '../store/object';
import { type LabelMap, matchesSelector } from './node-selector';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

export type Choice = { node: string } | { unschedulable: string };

const isReady = (node: KubeObject) =>
  ((node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/** The node's NoSchedule taints, with the not-ready taint of a node that is not Ready. */
export function noScheduleTaints(node: KubeObject): Taint[] {
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule',
  );
  if (!isReady(node) && !taints.some((t) => t.key === NOT_READY_TAINT))
    taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule' });
  return taints;
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** Why the node cannot take the pod (kube-scheduler's words), or undefined when it can. */
export function unfitReason(pod: KubeObject, node: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as { nodeSelector?: LabelMap; tolerations?: Toleration[] };
  const tolerations = spec.tolerations ?? [];
  const unschedulable = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  if (unschedulable && !tolerates(tolerations, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' }))
    return 'node(s) were unschedulable';
  const untolerated = noScheduleTaints(node).find((t) => !tolerates(tolerations, t));
  if (untolerated) return `node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`;
  if (!matchesSelector(spec.nodeSelector, node.metadata.labels))
    return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

/** kube-scheduler's FitError text for `reasons` (one per node). */
export function unschedulableMessage(nodeCount: number, reasons: string[]): string {
  const histogram = new Map<string, number>();
  for (const r of reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, n]) => ` ${n} ${reason}`).sort();
  const head = `0/${nodeCount} nodes are available:${parts.join(',')}.`;
  return `${head} preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`;
}

/** Where the pod goes, given every node and how many pods each already runs. */
export function chooseNode(pod: KubeObject, nodes: KubeObject[], podsOn: (node: string) => number): Choice {
  const reasons: string[] = [];
  const fit: { name: string; load: number }[] = [];
  for (const node of nodes) {
    const reason = unfitReason(pod, node);
    const name = node.metadata.name!;
    if (reason) reasons.push(reason);
    else fit.push({ name, load: podsOn(name) });
  }
  if (fit.length === 0) return { unschedulable: unschedulableMessage(nodes.length, reasons) };
  fit.sort((a, b) => a.load - b.load || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { node: fit[0]!.name };
}
