/**
 * The Deployment and ReplicaSet controllers, reduced to what acceptance needs: a Deployment owns
 * one ReplicaSet per pod template (`<name>-<pod-template-hash>`), the current one scaled to
 * `spec.replicas` and older ones to 0; a ReplicaSet keeps that many pods, created through the
 * admission the API applies (a refusal is a FailedCreate event, as kube-controller-manager
 * reports it) and replaced when deleted. Statuses count Ready pods.
 * Limits: no rolling-update surge/unavailability budget (old pods go at once), no revision history
 * annotations, no pause, no progress deadline.
 */
import { createHash } from 'node:crypto';
import { POD_TEMPLATE_HASH_LABEL } from '../../constants';
import { availableCondition } from '../store/deployment-status';
import type { KubeObject } from '../store/object';
import { StatusError } from '../store/status';
import type { ObjectStore } from '../store/store';
import { type ComponentEvents, REPLICASET_COMPONENT } from './component-events';
import { ownedBy, ownerReference } from './owners';

interface WorkloadSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
}

export interface WorkloadTools {
  store: ObjectStore;
  events: ComponentEvents;
  admit: (resource: string, obj: KubeObject) => void;
}

const specOf = (o: KubeObject) => (o.spec ?? {}) as WorkloadSpec;
const list = (store: ObjectStore) => (resource: string, namespace?: string) =>
  store.list(resource, { namespace }).items;

export const isPodReady = (pod: KubeObject) =>
  ((pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

const templateHash = (template: unknown) =>
  BigInt(`0x${createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 12)}`)
    .toString(36)
    .slice(0, 10);

export function reconcileDeployment(tools: WorkloadTools, deployment: KubeObject): void {
  const { store } = tools;
  const spec = specOf(deployment);
  const ns = deployment.metadata.namespace!;
  const hash = templateHash(spec.template ?? {});
  const current = `${deployment.metadata.name}-${hash}`;
  const replicas = spec.replicas ?? 1;
  const withHash = (labels: Record<string, string> = {}) => ({ ...labels, [POD_TEMPLATE_HASH_LABEL]: hash });
  if (!store.has('replicasets', ns, current)) {
    store.create('replicasets', {
      metadata: {
        name: current,
        namespace: ns,
        labels: withHash(spec.template?.metadata?.labels),
        ownerReferences: [ownerReference(deployment, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas,
        selector: { matchLabels: withHash(spec.selector?.matchLabels) },
        template: {
          ...spec.template,
          metadata: { ...spec.template?.metadata, labels: withHash(spec.template?.metadata?.labels) },
        },
      },
    });
  }
  const owned = ownedBy(list(store), 'replicasets', deployment);
  for (const rs of owned) {
    const wanted = rs.metadata.name === current ? replicas : 0;
    if (specOf(rs).replicas !== wanted)
      store.mutate('replicasets', ns, rs.metadata.name!, (r) => {
        (r.spec as WorkloadSpec).replicas = wanted;
      });
  }
  const counts = owned.map((rs) => (rs.status ?? {}) as { replicas?: number; readyReplicas?: number });
  const ready = counts.reduce((n, s) => n + (s.readyReplicas ?? 0), 0);
  const currentStatus = (owned.find((rs) => rs.metadata.name === current)?.status ?? {}) as {
    replicas?: number;
  };
  const available = ready >= replicas;
  store.mutate('deployments', ns, deployment.metadata.name!, (d) => {
    d.status = {
      observedGeneration: d.metadata.generation,
      replicas: counts.reduce((n, s) => n + (s.replicas ?? 0), 0),
      updatedReplicas: currentStatus.replicas ?? 0,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(available ? {} : { unavailableReplicas: replicas - ready }),
      conditions: [availableCondition(available)],
    };
  });
}

export function reconcileReplicaSet(tools: WorkloadTools, rs: KubeObject): void {
  const { store, events, admit } = tools;
  const spec = specOf(rs);
  const ns = rs.metadata.namespace!;
  const pods = ownedBy(list(store), 'pods', rs).filter((p) => !p.metadata.deletionTimestamp);
  const wanted = spec.replicas ?? 1;
  for (let i = pods.length; i < wanted; i++) {
    const pod: KubeObject = {
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: ns,
        labels: { ...spec.template?.metadata?.labels },
        ownerReferences: [ownerReference(rs, 'apps/v1', 'ReplicaSet')],
      },
      spec: structuredClone(spec.template?.spec ?? {}),
      status: { phase: 'Pending' },
    };
    try {
      admit('pods', pod);
      const created = store.create('pods', pod);
      pods.push(created);
      events.record(
        REPLICASET_COMPONENT,
        'replicasets',
        rs,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${created.metadata.name}`,
      );
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      events.record(
        REPLICASET_COMPONENT,
        'replicasets',
        rs,
        'Warning',
        'FailedCreate',
        `Error creating: ${err.message}`,
      );
      break;
    }
  }
  // Scale down: unscheduled pods first, then the newest.
  const extra = [...pods]
    .sort(
      (a, b) =>
        Number(Boolean((a.spec as { nodeName?: string }).nodeName)) -
          Number(Boolean((b.spec as { nodeName?: string }).nodeName)) ||
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
    )
    .slice(0, Math.max(0, pods.length - wanted));
  for (const pod of extra) {
    store.delete('pods', ns, pod.metadata.name!);
    events.record(
      REPLICASET_COMPONENT,
      'replicasets',
      rs,
      'Normal',
      'SuccessfulDelete',
      `Deleted pod: ${pod.metadata.name}`,
    );
  }
  const kept = pods.filter((p) => !extra.includes(p));
  const ready = kept.filter(isPodReady).length;
  store.mutate('replicasets', ns, rs.metadata.name!, (r) => {
    r.status = {
      replicas: kept.length,
      fullyLabeledReplicas: kept.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: r.metadata.generation,
    };
  });
}
