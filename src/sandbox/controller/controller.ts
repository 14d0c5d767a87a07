/**
 * The nodegroup controller: watches the store, queues keys (`node/<n>`, `namespace/<n>`,
 * `workspace/<n>`, `nodegroup/<n>`), and reconciles them asynchronously (setImmediate), so a bind
 * converges within milliseconds of the request's answer but never inside the HTTP handler.
 * Keys are deduplicated; while the controller-paused fault is on they wait in the queue.
 * The nodegroup config is read live: a change of the ConfigMap re-reconciles every group.
 */
import {
  ippoolKeyOf,
  NODE_GROUP_LABEL,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_NAMESPACE,
  REASONS,
  WORKSPACE_LABEL,
} from '../../constants';
import { DISABLED_CONFIG, type NodegroupConfig } from '../../nodegroup-config';
import type { Faults } from '../faults/registry';
import { readNodegroupConfig } from '../store/read-config';
import type { ObjectStore, WatchEvent } from '../store/store';
import { EventRecorder } from './events';
import {
  type ReconcileContext,
  reconcileNamespace,
  reconcileNode,
  reconcileWorkspace,
} from './reconcile-bindings';
import { reconcileNodegroup } from './reconcile-nodegroup';

export class NodegroupController {
  private readonly store: ObjectStore;
  private readonly faults?: Faults;
  private readonly events: EventRecorder;
  private readonly queue = new Set<string>();
  private readonly stops: (() => void)[] = [];
  /** Workspace label of each namespace last seen: tells a namespace that joined a workspace. */
  private readonly namespaceWorkspace = new Map<string, string | undefined>();
  private readonly workspaceChanged = new Set<string>();
  private readonly deletingGroups = new Set<string>();
  private config: NodegroupConfig = { ...DISABLED_CONFIG };
  private scheduled = false;
  private running = false;

  constructor(deps: { store: ObjectStore; faults?: Faults }) {
    this.store = deps.store;
    this.faults = deps.faults;
    this.events = new EventRecorder(deps.store);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const watch = (resource: string, onEvent: (e: WatchEvent) => void, options = {}) =>
      this.stops.push(this.store.watch(resource, options, onEvent));
    watch('nodes', (e) => {
      this.enqueue(`node/${e.object.metadata.name}`);
      for (const group of this.deletingGroups) this.enqueue(`nodegroup/${group}`);
    });
    watch('namespaces', (e) => this.onNamespace(e));
    watch('workspaces', (e) => this.enqueue(`workspace/${e.object.metadata.name}`));
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
    return !this.scheduled;
  }

  stop(): void {
    this.running = false;
    for (const stop of this.stops.splice(0)) stop();
    this.queue.clear();
  }

  /** Re-read the config and queue every group and every object with a pending binding. */
  resync(): void {
    this.namespaceWorkspace.clear();
    for (const ns of this.store.list('namespaces').items) {
      this.namespaceWorkspace.set(ns.metadata.name!, ns.metadata.labels?.[WORKSPACE_LABEL]);
      this.enqueue(`namespace/${ns.metadata.name}`);
    }
    this.enqueue('config');
    for (const resource of ['nodes', 'workspaces'] as const) {
      const prefix = resource === 'nodes' ? 'node' : 'workspace';
      for (const obj of this.store.list(resource).items) this.enqueue(`${prefix}/${obj.metadata.name}`);
    }
    this.deletingGroups.clear();
    for (const ng of this.store.list('nodegroups').items) {
      if (ng.metadata.deletionTimestamp) this.deletingGroups.add(ng.metadata.name!);
      this.enqueue(`nodegroup/${ng.metadata.name}`);
    }
  }

  private onNamespace(e: WatchEvent): void {
    const name = e.object.metadata.name!;
    if (e.type === 'DELETED') {
      this.namespaceWorkspace.delete(name);
      const group = e.object.metadata.labels?.[NODE_GROUP_LABEL];
      if (group) this.enqueue(`nodegroup/${group}`); // drop the group's label for it
      return;
    }
    const workspace = e.object.metadata.labels?.[WORKSPACE_LABEL];
    if (!this.namespaceWorkspace.has(name) || this.namespaceWorkspace.get(name) !== workspace) {
      this.namespaceWorkspace.set(name, workspace);
      this.workspaceChanged.add(name);
    }
    this.enqueue(`namespace/${name}`);
  }

  private enqueue(key: string): void {
    if (!this.running) return;
    this.queue.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (!this.running || this.faults?.blocks({ step: 'reconcile' })) return; // keys wait for the unpause
    const context: ReconcileContext = {
      store: this.store,
      events: this.events,
      config: this.config,
      faults: this.faults,
      enqueue: (key) => this.enqueue(key),
    };
    // Config first: groups queued with it must see the new config.
    if (this.queue.delete('config')) this.reloadConfig(context);
    for (const key of [...this.queue]) {
      if (this.faults?.blocks({ step: 'reconcile' })) return;
      this.queue.delete(key);
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
    for (const ng of this.store.list('nodegroups').items) this.queue.add(`nodegroup/${ng.metadata.name}`);
  }

  private reconcile(context: ReconcileContext, key: string): void {
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    const name = key.slice(slash + 1);
    try {
      if (kind === 'node') reconcileNode(context, name);
      else if (kind === 'namespace') {
        const changed = this.workspaceChanged.delete(name);
        reconcileNamespace(context, name, changed);
      } else if (kind === 'workspace') reconcileWorkspace(context, name);
      else if (kind === 'nodegroup') reconcileNodegroup(context, name);
    } catch (err) {
      // A reconcile that fails (e.g. the object vanished mid-way) is retried on the next event.
      process.stderr.write(`nodegroup-controller: reconcile ${key} failed: ${(err as Error).message}\n`);
    }
  }
}
