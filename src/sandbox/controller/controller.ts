/**
 * The nodegroup controller: watches the store, queues keys (`<kind>/<n>` for every binding kind of
 * the table, `nodegroup/<n>`), and reconciles them asynchronously (setImmediate), so a bind
 * converges within milliseconds of the request's answer but never inside the HTTP handler.
 * Keys are deduplicated; while the controller-paused fault is on they wait in the queue.
 * The nodegroup config is read live: a change of the ConfigMap re-reconciles every group.
 */
import { bindingKindSpecs, groupOfTarget } from '../../binding-kinds';
import { ippoolKeyOf, NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE, REASONS } from '../../constants';
import { DISABLED_CONFIG, type NodegroupConfig } from '../../nodegroup-config';
import type { Faults } from '../faults/registry';
import { KeyQueue } from '../store/key-queue';
import { readNodegroupConfig } from '../store/read-config';
import type { ObjectStore, WatchEvent } from '../store/store';
import { EventRecorder } from './events';
import { reconcileNodegroup } from './reconcile-nodegroup';
import { type ReconcileContext, reconcileTarget } from './reconcile-target';

export class NodegroupController {
  private readonly store: ObjectStore;
  private readonly faults?: Faults;
  private readonly events: EventRecorder;
  private readonly queue = new KeyQueue(() => this.drain());
  private readonly stops: (() => void)[] = [];
  /** Membership label of each member target last seen (`namespace/<n>` -> workspace). */
  private readonly membership = new Map<string, string | undefined>();
  /** Member targets whose membership changed since their last reconcile. */
  private readonly joined = new Set<string>();
  private readonly deletingGroups = new Set<string>();
  private config: NodegroupConfig = { ...DISABLED_CONFIG };

  constructor(deps: { store: ObjectStore; faults?: Faults }) {
    this.store = deps.store;
    this.faults = deps.faults;
    this.events = new EventRecorder(deps.store);
  }

  start(): void {
    if (!this.queue.start()) return;
    const watch = (resource: string, onEvent: (e: WatchEvent) => void, options = {}) =>
      this.stops.push(this.store.watch(resource, options, onEvent));
    for (const spec of bindingKindSpecs()) watch(spec.resource, (e) => this.onTarget(spec.kind, e));
    watch('nodegroups', (e) => {
      const name = e.object.metadata.name!;
      if (e.type !== 'DELETED' && e.object.metadata.deletionTimestamp) this.deletingGroups.add(name);
      else this.deletingGroups.delete(name);
      this.enqueue(`nodegroup/${name}`);
    });
    watch('ippools', (e) => {
      for (const [key, value] of Object.entries(e.object.metadata.labels ?? {}))
        if (key === ippoolKeyOf(value)) this.enqueue(`nodegroup/${value}`);
    });
    watch('configmaps', () => this.enqueue('config'), {
      namespace: NODEGROUP_NAMESPACE,
      fieldSelector: `metadata.name=${NODEGROUP_CONFIGMAP}`,
    });
    if (this.faults) this.stops.push(this.faults.onChange(() => this.resync()));
    this.resync();
  }

  /**
   * No pass over the queue is scheduled: nothing runs until a change (or the unpause) queues a key.
   * While paused, queued keys wait and the controller is still settled.
   */
  get settled(): boolean {
    return this.queue.idle;
  }

  stop(): void {
    this.queue.stop();
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Re-read the config and queue every group and every object with a pending binding. */
  resync(): void {
    this.membership.clear();
    this.enqueue('config');
    for (const spec of bindingKindSpecs()) {
      for (const obj of this.store.list(spec.resource).items) {
        const key = `${spec.kind}/${obj.metadata.name}`;
        const label = this.membershipLabel(spec.kind);
        if (label) this.membership.set(key, obj.metadata.labels?.[label]);
        this.enqueue(key);
      }
    }
    this.deletingGroups.clear();
    for (const ng of this.store.list('nodegroups').items) {
      if (ng.metadata.deletionTimestamp) this.deletingGroups.add(ng.metadata.name!);
      this.enqueue(`nodegroup/${ng.metadata.name}`);
    }
  }

  /** The label that makes a target of this kind a member of another (a namespace's workspace). */
  private membershipLabel(kind: string): string | undefined {
    return bindingKindSpecs().find((s) => s.binding.members?.kind === kind)?.binding.members?.label;
  }

  private onTarget(kind: string, e: WatchEvent): void {
    const key = `${kind}/${e.object.metadata.name}`;
    for (const group of this.deletingGroups) this.enqueue(`nodegroup/${group}`); // a delete may now finish
    const label = this.membershipLabel(kind);
    if (e.type === 'DELETED') {
      this.membership.delete(key);
      const group = groupOfTarget(kind, e.object);
      if (group) this.enqueue(`nodegroup/${group}`); // drop the group's side of the binding
      return;
    }
    if (label) {
      const of = e.object.metadata.labels?.[label];
      if (!this.membership.has(key) || this.membership.get(key) !== of) {
        this.membership.set(key, of);
        this.joined.add(key);
      }
    }
    this.enqueue(key);
  }

  private enqueue(key: string): void {
    this.queue.add(key);
  }

  private drain(): void {
    if (this.faults?.blocks({ step: 'reconcile' })) return; // keys wait for the unpause
    const context: ReconcileContext = {
      store: this.store,
      events: this.events,
      config: this.config,
      faults: this.faults,
      enqueue: (key) => this.enqueue(key),
    };
    // Config first: groups queued with it must see the new config.
    if (this.queue.keys.delete('config')) this.reloadConfig(context);
    for (const key of [...this.queue.keys]) {
      if (this.faults?.blocks({ step: 'reconcile' })) return;
      this.queue.keys.delete(key);
      this.reconcile(context, key);
    }
  }

  private reloadConfig(context: ReconcileContext): void {
    const read = readNodegroupConfig(this.store);
    if ('error' in read) {
      const cm = this.store.get('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP);
      this.events.record(
        'configmaps',
        cm,
        'Warning',
        REASONS.configInvalid,
        `${read.error}; keeping the previous config`,
      );
      return;
    }
    if (JSON.stringify(read.config) === JSON.stringify(this.config)) return;
    this.config = read.config;
    context.config = read.config;
    for (const ng of this.store.list('nodegroups').items)
      this.queue.keys.add(`nodegroup/${ng.metadata.name}`);
  }

  private reconcile(context: ReconcileContext, key: string): void {
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    const name = key.slice(slash + 1);
    try {
      if (kind === 'nodegroup') reconcileNodegroup(context, name);
      else if (bindingKindSpecs().some((s) => s.kind === kind))
        reconcileTarget(context, kind, name, this.joined.delete(key));
    } catch (err) {
      // A reconcile that fails (e.g. the object vanished mid-way) is retried on the next event.
      process.stderr.write(`nodegroup-controller: reconcile ${key} failed: ${(err as Error).message}\n`);
    }
  }
}
