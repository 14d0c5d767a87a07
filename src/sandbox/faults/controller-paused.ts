/**
 * controller-paused: the controller hangs. Nothing converges, and it shows as an operator would
 * see a hung process: the nodegroup-controller-manager pod is not Ready (READY 0/1) and its
 * Deployment has no available replica. A rollout restart of that Deployment ends it.
 */
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../../constants';
import { availableCondition } from '../store/deployment-status';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';
import { defineFault } from './fault';

const CONTROLLER_DEPLOYMENT = NODEGROUP_DEPLOYMENTS[1];

type Condition = { type: string; status: string; reason?: string; message?: string; [k: string]: unknown };

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function setCondition(conditions: Condition[], next: Condition): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason) return conditions;
  const at = now();
  const merged: Condition = { ...old, ...next, lastTransitionTime: at };
  if (old && 'lastProbeTime' in old) merged.lastProbeTime = old.lastProbeTime;
  if (old && 'lastUpdateTime' in old) merged.lastUpdateTime = at;
  if (next.status === 'True' && !next.reason) delete merged.reason;
  if (next.status === 'True' && !next.message) delete merged.message;
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
  status.conditions = setCondition(status.conditions ?? [], availableCondition(ready));
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

export const controllerPaused = defineFault<Record<string, never>>({
  name: 'controller-paused',
  summary: 'the controller hangs: nothing converges; its pod is not Ready',
  options: {},
  onSet: (env) => env.store && setControllerReady(env.store, false),
  onClear: (env) => env.store && setControllerReady(env.store, true),
  blocks: () => true,
  endedBy: (_options, action) =>
    action.action === 'rollout-restart' &&
    action.namespace === NODEGROUP_NAMESPACE &&
    action.name === CONTROLLER_DEPLOYMENT,
});
