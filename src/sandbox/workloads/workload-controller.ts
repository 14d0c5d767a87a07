/**
 * The Kubernetes components behind workloads, as one sandbox component beside the nodegroup
 * controller: the Deployment and ReplicaSet controllers, the garbage collector for what they own,
 * the namespace controller's removal of a deleted namespace's workloads, and the scheduler (with
 * the kubelet's start). Like the nodegroup controller it works from store watch events, queued
 * and run on setImmediate, never inside an HTTP handler. The nodegroup's own Deployments are
 * modelled by the fixture and controller/rollout.ts and left alone here. The controller-paused fault does not stop
 * it: that fault hangs the nodegroup controller, not kube-controller-manager.
 */
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../../constants';
import { KeyQueue } from '../store/key-queue';
import type { KubeObject } from '../store/object';
import type { ObjectStore, WatchEvent } from '../store/store';
import { workloadAdmission } from './admission';
import { ComponentEvents } from './component-events';
import { controllerOf, isOwnedBy } from './owners';
import { reconcileDeployment, reconcileReplicaSet, type WorkloadTools } from './replicasets';
import { nodeNameOf, schedulePod } from './scheduling';

type Resource = 'deployments' | 'replicasets' | 'pods';

const OWNER: Record<string, Resource> = { Deployment: 'deployments', ReplicaSet: 'replicasets' };
const keyOf = (resource: Resource, ns: string, name: string) => `${resource}/${ns}/${name}`;

const isNodegroupDeployment = (namespace: string | undefined, name: string | undefined) =>
  namespace === NODEGROUP_NAMESPACE && (NODEGROUP_DEPLOYMENTS as readonly string[]).includes(name ?? '');

/**
 * The installed nodegroup server's Deployments and their ReplicaSets: the fixture writes them in
 * the same model (server/fixture-workloads.ts: one ReplicaSet per Deployment, pods owned by it,
 * the pod-template-hash label), and controller/rollout.ts and the controller-paused fault model
 * their life; reconciling them here would replace the fixture's pods.
 */
const modelledElsewhere = (o: KubeObject) =>
  isNodegroupDeployment(o.metadata.namespace, o.metadata.name) ||
  (o.metadata.ownerReferences ?? []).some(
    (r) => r.kind === 'Deployment' && isNodegroupDeployment(o.metadata.namespace, r.name),
  );

export class WorkloadController {
  private readonly tools: WorkloadTools;
  private readonly queue = new KeyQueue(() => this.drain());
  private readonly stops: (() => void)[] = [];

  constructor(private readonly store: ObjectStore) {
    this.tools = { store, events: new ComponentEvents(store), admit: workloadAdmission(store) };
  }

  start(): void {
    if (!this.queue.start()) return;
    const watch = (resource: string, onEvent: (e: WatchEvent) => void) =>
      this.stops.push(this.store.watch(resource, {}, onEvent));
    watch('deployments', (e) => this.onObject('deployments', e));
    watch('replicasets', (e) => this.onObject('replicasets', e));
    watch('pods', (e) => this.onObject('pods', e));
    watch('nodes', () => this.enqueuePending());
    watch('namespaces', (e) => {
      if (e.type === 'DELETED') this.enqueue(`namespace/${e.object.metadata.name}`);
    });
    this.resync();
  }

  stop(): void {
    this.queue.stop();
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Queue every workload and every pod waiting for a node (after a reset or a state load). */
  resync(): void {
    for (const resource of ['deployments', 'replicasets'] as const)
      for (const o of this.store.list(resource).items)
        this.enqueue(keyOf(resource, o.metadata.namespace!, o.metadata.name!));
    this.enqueuePending();
  }

  private onObject(resource: Resource, e: WatchEvent): void {
    const { metadata } = e.object;
    const ns = metadata.namespace!;
    if (e.type === 'DELETED') {
      if (resource !== 'pods') this.enqueue(`gc/${resource}/${ns}/${metadata.uid}`);
    } else if (resource !== 'pods' || !nodeNameOf(e.object)) {
      this.enqueue(keyOf(resource, ns, metadata.name!));
    }
    const owner = controllerOf(e.object);
    if (owner && OWNER[owner.kind]) this.enqueue(keyOf(OWNER[owner.kind]!, ns, owner.name));
  }

  private enqueuePending(): void {
    for (const pod of this.store.list('pods').items)
      if (!nodeNameOf(pod)) this.enqueue(keyOf('pods', pod.metadata.namespace!, pod.metadata.name!));
  }

  private enqueue(key: string): void {
    this.queue.add(key);
  }

  private drain(): void {
    for (const key of [...this.queue.keys]) {
      this.queue.keys.delete(key);
      try {
        this.reconcile(key);
      } catch (err) {
        // The object changed or vanished mid-way: its next event queues it again.
        process.stderr.write(`workload-controller: reconcile ${key} failed: ${(err as Error).message}\n`);
      }
    }
  }

  private reconcile(key: string): void {
    const [what, ...rest] = key.split('/');
    if (what === 'gc') {
      this.collect(rest[0] as Resource, rest[1]!, rest[2]!);
      return;
    }
    if (what === 'namespace') {
      this.removeNamespaceContent(rest[0]!);
      return;
    }
    const [ns, name] = rest as [string, string];
    const resource = what as Resource;
    if (!this.store.has(resource, ns, name)) return;
    const obj = this.store.get(resource, ns, name);
    if (resource === 'deployments' && !modelledElsewhere(obj)) reconcileDeployment(this.tools, obj);
    else if (resource === 'replicasets' && !modelledElsewhere(obj)) reconcileReplicaSet(this.tools, obj);
    else if (resource === 'pods') schedulePod(this.store, this.tools.events, obj);
  }

  /** The garbage collector: what the deleted owner owned goes too (background propagation). */
  private collect(resource: Resource, ns: string, uid: string): void {
    const dependent = resource === 'deployments' ? 'replicasets' : 'pods';
    const owner = { metadata: { uid } };
    for (const o of this.store.list(dependent, { namespace: ns }).items)
      if (isOwnedBy(o, owner)) this.store.delete(dependent, ns, o.metadata.name!);
  }

  /** The namespace controller: a deleted namespace's workloads, pods and events go with it. */
  private removeNamespaceContent(ns: string): void {
    for (const resource of ['deployments', 'replicasets', 'pods', 'events'])
      for (const o of this.store.list(resource, { namespace: ns }).items)
        this.store.delete(resource, ns, o.metadata.name!);
  }
}
