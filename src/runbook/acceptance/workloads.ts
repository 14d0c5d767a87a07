/**
 * What acceptance checks about workloads, read through client-node: a Deployment's pods Ready (or
 * the scheduler's reason why they cannot be, at once rather than at the deadline), each pod on a
 * node of a group, pods Pending because no node matches. Every failure names the pods, their
 * nodes and the kubectl command to look with. Codes: a pod the scheduler cannot place is a
 * product finding (RUNBOOK_VERIFY, with the scheduler's reason); controllers that have not
 * finished by the deadline are stuck (RUNBOOK_STUCK).
 */
import { NODE_GROUP_LABEL } from '../../constants';
import type { KubeObject } from '../../kube/reader';
import { WaitTimeoutError } from '../../kube/reader';
import { RESOURCES } from '../../kube/resources';
import { VerifyError, WaitExpiredError } from '../errors';
import type { Flow } from '../flow/flow';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const conditionsOf = (pod: KubeObject) =>
  ((pod['status'] as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[];
const condition = (pod: KubeObject, type: string) => conditionsOf(pod).find((c) => c.type === type);
const isReady = (pod: KubeObject) => condition(pod, 'Ready')?.status === 'True';
/** The scheduler's verdict on a pod it could not place (PodScheduled=False, Unschedulable). */
export const unschedulable = (pod: KubeObject) => {
  const c = condition(pod, 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable' ? (c.message ?? '') : undefined;
};
const nodeOf = (pod: KubeObject) => (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;

/** The Deployment's label selector as `k=v,...` (matchLabels only, as `kubectl create deployment` writes). */
async function selectorOf(flow: Flow, name: string, namespace: string): Promise<string> {
  const d = await flow.get('deployment', name, namespace);
  if (!d)
    throw new VerifyError(
      `deployment ${name} does not exist in namespace ${namespace}; look with: kubectl get deployments -n ${namespace}`,
    );
  const labels =
    (d['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export async function podsOf(flow: Flow, name: string, namespace: string): Promise<KubeObject[]> {
  return flow.list('pod', { namespace, labelSelector: await selectorOf(flow, name, namespace) });
}

const lookAt = (namespace: string, selector: string) =>
  `kubectl get pods -n ${namespace} -l ${selector} -o wide`;

/**
 * Wait until `replicas` pods of the Deployment are Ready; a pod the scheduler has given up on
 * ends the wait at once with its reason (a group with no Ready node is a finding, not a timeout).
 */
export async function waitForDeploymentReady(flow: Flow, name: string, namespace: string, replicas: number) {
  const selector = await selectorOf(flow, name, namespace);
  const description = `${replicas} Ready pod(s) of deployment ${namespace}/${name}`;
  const started = performance.now();
  const done = (pods: KubeObject[]) =>
    pods.some((p) => unschedulable(p) !== undefined) || (pods.length === replicas && pods.every(isReady));
  let pods: KubeObject[];
  try {
    pods = await flow.verifier.kube.waitForList(RESOURCES.pod, done, {
      namespace,
      labelSelector: selector,
      timeoutMs: flow.waitTimeoutMs,
      description,
    });
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    flow.evidence({ kind: 'wait', description, ok: false, durationMs: performance.now() - started });
    const now = await flow.list('pod', { namespace, labelSelector: selector });
    const seen =
      now.map((p) => `${p.metadata.name} ${isReady(p) ? 'Ready' : 'not Ready'}`).join(', ') || 'no pod';
    throw new WaitExpiredError(
      `wait expired: ${description} did not come about within ${flow.waitTimeoutMs} ms (seen: ${seen}); ` +
        `the Deployment and ReplicaSet controllers have not finished; look with: ${lookAt(namespace, selector)}`,
    );
  }
  const stuck = pods.find((p) => unschedulable(p) !== undefined);
  flow.evidence({ kind: 'wait', description, ok: !stuck, durationMs: performance.now() - started });
  if (stuck) {
    throw new VerifyError(
      `expected ${description}, but pod ${stuck.metadata.name} cannot be scheduled: ${unschedulable(stuck)}; ` +
        `look with: kubectl describe pod ${stuck.metadata.name} -n ${namespace}`,
    );
  }
  return pods;
}

/** Every pod of the Deployment runs on a node labelled with the group; the strays are named. */
export async function checkPodsOnGroup(flow: Flow, name: string, namespace: string, group: string) {
  const pods = await podsOf(flow, name, namespace);
  if (pods.length === 0) throw new VerifyError(`deployment ${namespace}/${name} has no pod to check`);
  const members = new Set(
    (await flow.list('node', { labelSelector: `${NODE_GROUP_LABEL}=${group}` })).map((n) => n.metadata.name),
  );
  const strays = pods.filter((p) => !members.has(nodeOf(p)));
  if (strays.length > 0) {
    throw new VerifyError(
      `expected every pod of deployment ${namespace}/${name} on a node of nodegroup ${group} ` +
        `(${[...members].join(', ') || 'no node'}), but ${strays
          .map((p) => `${p.metadata.name} runs on ${nodeOf(p) ?? 'no node'}`)
          .join(', ')}; look with: kubectl get pods -n ${namespace} -o wide`,
    );
  }
  return pods.map((p) => ({ pod: p.metadata.name!, node: nodeOf(p)! }));
}

export const NO_NODE_MATCHES = "didn't match Pod's node affinity/selector";

/** Every pod of the Deployment Pending: the scheduler found no node matching its selector. */
export async function checkPendingNoNodeMatches(flow: Flow, name: string, namespace: string) {
  const selector = await selectorOf(flow, name, namespace);
  const description = `pods of deployment ${namespace}/${name} Pending: no node matches`;
  const holds = (pods: KubeObject[]) =>
    pods.length > 0 &&
    pods.every((p) => nodeOf(p) === undefined && unschedulable(p)?.includes(NO_NODE_MATCHES));
  try {
    const pods = await flow.verifier.kube.waitForList(RESOURCES.pod, holds, {
      namespace,
      labelSelector: selector,
      timeoutMs: flow.waitTimeoutMs,
      description,
    });
    flow.evidence({ kind: 'wait', description, ok: true, durationMs: 0 });
    return pods.map((p) => ({ pod: p.metadata.name!, message: unschedulable(p)! }));
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const pods = await flow.list('pod', { namespace, labelSelector: selector });
    const seen =
      pods
        .map(
          (p) =>
            `${p.metadata.name} on ${nodeOf(p) ?? 'no node'}${unschedulable(p) ? `: ${unschedulable(p)}` : ''}`,
        )
        .join('; ') || 'no pod';
    throw new WaitExpiredError(
      `expected ${description}, but it did not hold within ${flow.waitTimeoutMs} ms (seen: ${seen}); look with: ${lookAt(namespace, selector)}`,
    );
  }
}
