/**
 * Member clusters behind the host (KubeSphere multi-cluster): each has its own object store, a
 * fixture variant (the host's fixture plus member-specific edge nodes, so names and counts differ)
 * and its own nodegroup controller. They have no listener: the host's router dispatches
 * `/clusters/{name}/...` and `/kapis/clusters/{name}/...` to them.
 */
import { NodegroupController } from '../controller/controller';
import { Faults } from '../faults/registry';
import type { RequestContext } from '../http/http';
import { createKubeApi } from '../kubernetes/rest';
import { createKapi } from '../kubesphere/kapi';
import { loadFixture } from '../server/fixture';
import type { KubeObject } from '../store/object';
import { ObjectStore } from '../store/store';

export type Handler = (ctx: RequestContext) => Promise<void>;

export const MAX_MEMBERS = 64;
export const MAX_EXTRA_NODES = 20_000;

export interface MemberOptions {
  /** How many member clusters (member-1..N). */
  count: number;
  /** Extra edge nodes on every member, over its own variant (for scale runs); default 0. */
  extraNodes?: number;
}

export interface Member {
  name: string;
  store: ObjectStore;
  kube: Handler;
  kapi: Handler;
}

export const memberName = (i: number) => `member-${i}`;

/** An edge node of a member, shaped like the fixture's worker-3 (conditions, addresses, capacity). */
function edgeNode(template: KubeObject, name: string, ip: string): KubeObject {
  const node = structuredClone(template);
  const labels: Record<string, string> = { ...(node.metadata.labels ?? {}) };
  for (const key of Object.keys(labels)) if (key.startsWith('node-role.kubernetes.io/')) delete labels[key];
  labels['kubernetes.io/hostname'] = name;
  labels['node-role.kubernetes.io/edge'] = '';
  node.metadata = { name, labels };
  const status = node.status as { addresses?: { type: string; address: string }[] };
  status.addresses = [
    { type: 'InternalIP', address: ip },
    { type: 'Hostname', address: name },
  ];
  return node;
}

/** The fixture, then member i's own edge nodes: `{member}-edge-1..(i + extra)`. */
export function loadMemberFixture(store: ObjectStore, index: number, extraNodes = 0): void {
  loadFixture(store);
  const template = store.get('nodes', undefined, 'worker-3');
  const name = memberName(index);
  for (let n = 1; n <= index + extraNodes; n++)
    store.create(
      'nodes',
      edgeNode(template, `${name}-edge-${n}`, `10.${100 + index}.${Math.floor(n / 250)}.${(n % 250) + 2}`),
    );
}

export class Members {
  readonly list: Member[] = [];
  private readonly controllers: NodegroupController[] = [];

  constructor(private readonly options: MemberOptions) {
    const { count, extraNodes = 0 } = options;
    if (!Number.isInteger(count) || count < 0 || count > MAX_MEMBERS)
      throw new Error(`members must be an integer from 0 to ${MAX_MEMBERS}, got ${count}`);
    if (!Number.isInteger(extraNodes) || extraNodes < 0 || extraNodes > MAX_EXTRA_NODES)
      throw new Error(
        `extra member nodes must be an integer from 0 to ${MAX_EXTRA_NODES}, got ${extraNodes}`,
      );
    for (let i = 1; i <= count; i++) {
      const store = new ObjectStore();
      loadMemberFixture(store, i, extraNodes);
      this.controllers.push(new NodegroupController({ store, faults: new Faults({ store }) }));
      this.list.push({ name: memberName(i), store, kube: createKubeApi(store), kapi: createKapi({ store }) });
    }
  }

  get names(): string[] {
    return this.list.map((m) => m.name);
  }

  get(name: string): Member | undefined {
    return this.list.find((m) => m.name === name);
  }

  start(): void {
    for (const c of this.controllers) c.start();
  }

  stop(): void {
    for (const c of this.controllers) c.stop();
  }

  /** Every member back to its fixture variant. */
  reset(): void {
    this.list.forEach((m, i) => {
      m.store.load({ resourceVersion: 0, objects: {} });
      loadMemberFixture(m.store, i + 1, this.options.extraNodes ?? 0);
    });
    for (const c of this.controllers) c.resync();
  }
}
