/**
 * How a paused controller looks to an operator: the nodegroup-controller-manager pod is not Ready
 * (READY 0/1) and its Deployment has no available replica, as when the process hangs.
 */
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../constants';
import type { Faults } from './faults';
import type { KubeObject } from './object';
import type { ObjectStore } from './store';

export const CONTROLLER_DEPLOYMENT = NODEGROUP_DEPLOYMENTS[1];

type Condition = { type: string; status: string; reason?: string; message?: string; [k: string]: unknown };

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function setCondition(conditions: Condition[], next: Condition): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason) return conditions;
  const merged = { ...next, lastTransitionTime: now() };
  return old ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

function setPodReady(pod: KubeObject, ready: boolean): void {
  const status = (pod.status ?? {}) as {
    conditions?: Condition[];
    containerStatuses?: Record<string, unknown>[];
  };
  const notReady = {
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${CONTROLLER_DEPLOYMENT}]`,
  };
  let conditions = status.conditions ?? [];
  for (const type of ['Ready', 'ContainersReady']) {
    conditions = setCondition(
      conditions,
      ready ? { type, status: 'True' } : { type, status: 'False', ...notReady },
    );
  }
  status.conditions = conditions;
  status.containerStatuses = (status.containerStatuses ?? []).map((c) => ({ ...c, ready }));
  pod.status = status;
}

function setDeploymentReady(deployment: KubeObject, ready: boolean): void {
  const spec = (deployment.spec ?? {}) as { replicas?: number };
  const status = (deployment.status ?? {}) as Record<string, unknown> & { conditions?: Condition[] };
  const replicas = spec.replicas ?? 1;
  status.readyReplicas = ready ? replicas : 0;
  status.availableReplicas = ready ? replicas : 0;
  if (ready) delete status.unavailableReplicas;
  else status.unavailableReplicas = replicas;
  status.conditions = setCondition(
    status.conditions ?? [],
    ready
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
  );
  deployment.status = status;
}

/** Mark the controller's pods and Deployment Ready or not; objects absent from the store are skipped. */
export function setControllerReady(store: ObjectStore, ready: boolean): void {
  const pods = store.list('pods', {
    namespace: NODEGROUP_NAMESPACE,
    labelSelector: `app=${CONTROLLER_DEPLOYMENT}`,
  });
  for (const pod of pods.items) {
    store.mutate('pods', NODEGROUP_NAMESPACE, pod.metadata.name!, (p) => setPodReady(p, ready));
  }
  if (store.has('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT)) {
    store.mutate('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT, (d) =>
      setDeploymentReady(d, ready),
    );
  }
}

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const restartedAt = (d: KubeObject | undefined) =>
  (d?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template
    ?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];

/**
 * A restart of the controller's Deployment (`kubectl rollout restart`, the diagnosis' repair for
 * a hung controller) replaces the hung process, as on a real cluster: it ends the controller-paused
 * fault, and the rollout of the new generation is observed at once. Returns a function that stops
 * watching.
 */
export function restartEndsPause(store: ObjectStore, faults: Faults): () => void {
  let last = store.has('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT)
    ? restartedAt(store.get('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT))
    : undefined;
  return store.watch(
    'deployments',
    { namespace: NODEGROUP_NAMESPACE, fieldSelector: `metadata.name=${CONTROLLER_DEPLOYMENT}` },
    (e) => {
      const at = restartedAt(e.object);
      if (e.type === 'DELETED' || at === last) return;
      last = at;
      // Not inside the store's notification: these write the pod and the Deployment.
      setImmediate(() => {
        if (faults.controllerPaused) faults.remove('controller-paused');
        // The new pods are out: the rollout of this generation is observed (`kubectl rollout status`).
        if (!store.has('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT)) return;
        store.mutate('deployments', NODEGROUP_NAMESPACE, CONTROLLER_DEPLOYMENT, (d) => {
          d.status = { ...(d.status as object), observedGeneration: d.metadata.generation };
        });
      });
    },
  );
}
