/**
 * The guide's safe flow for every write, enforced in one place: guardrail -> inspect (before
 * snapshot) -> ledger entry -> minimal change through the KAPI -> verify the after-state through
 * client-node (after snapshot). Reads go through the same client so they are evidence too.
 */
import type { KapiRequest } from '../kapi/client';
import { HttpError } from '../kapi/errors';
import { type BindingKind, type NodeGroup, type NodeGroupList, nodegroupRequests } from '../kapi/nodegroups';
import type { KubeObject } from '../kube/reader';
import type { RunContext } from './context';
import type { Change, GroupState } from './ledger';
import { explainBlocked } from './next-command';
import { sameJson } from './same';

export const groupState = (g: { spec?: unknown; metadata: KubeObject['metadata'] }): GroupState => ({
  spec: { ...((g.spec as Record<string, unknown> | undefined) ?? {}) },
  labels: { ...(g.metadata.labels ?? {}) },
  annotations: { ...(g.metadata.annotations ?? {}) },
});

/** Whether the group's spec, labels and annotations are exactly `s` (absent counts as empty). */
export const hasGroupState = (
  g: { spec?: unknown; metadata: KubeObject['metadata'] } | undefined,
  s: GroupState,
) =>
  g !== undefined &&
  sameJson(g.spec ?? {}, s.spec) &&
  sameJson(g.metadata.labels ?? {}, s.labels) &&
  sameJson(g.metadata.annotations ?? {}, s.annotations);

export class OperatorBase {
  constructor(
    readonly ctx: RunContext,
    /** Ledger key of the scenario (its id), so After undoes exactly its own changes. */
    readonly scenario: string,
  ) {}

  /** Send one KAPI request; unreachable host or missing credentials become a BlockedError. */
  async send<T>(req: KapiRequest, command: string): Promise<T> {
    try {
      return await this.ctx.kapi.call<T>(req);
    } catch (err) {
      throw explainBlocked(err, this.ctx.target.host, command, req);
    }
  }

  snapshot(label: 'before' | 'after', resource: string, name: string, object: unknown): void {
    this.ctx.record({ kind: 'snapshot', label, resource, name, object });
  }

  /** Record the change in the ledger, then make it; a refusal by the server voids the entry. */
  async change<T>(change: Change, req: KapiRequest, command: string): Promise<T> {
    return this.ledgered(change, () => this.send<T>(req, command), refusedByServer);
  }

  /**
   * The ledger entry on disk first, then the change; the entry is voided when `changedNothing`
   * says the failure left the target as it was (nothing to undo).
   */
  protected async ledgered<T>(
    change: Change,
    make: () => Promise<T>,
    changedNothing: (err: unknown) => boolean = () => true,
  ): Promise<T> {
    const entry = this.ctx.ledger.record(this.scenario, change);
    this.ctx.record({ kind: 'ledger', action: 'recorded', entry });
    try {
      return await make();
    } catch (err) {
      if (changedNothing(err)) this.ctx.ledger.markUndone(entry.seq, 'refused');
      throw err;
    }
  }

  /** The nodegroup through the KAPI, or undefined on 404. */
  async findNodeGroup(name: string, command: string): Promise<NodeGroup | undefined> {
    try {
      return await this.send<NodeGroup>(nodegroupRequests.get(name), command);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return undefined;
      throw err;
    }
  }

  async listNodeGroups(options: { name?: string; labelSelector?: string } = {}): Promise<NodeGroupList> {
    return this.send<NodeGroupList>(nodegroupRequests.list(options), 'nodegroup-api nodegroup list');
  }

  get waitTimeoutMs(): number {
    return this.ctx.config.waitTimeoutMs;
  }
}

/** A 4xx other than 401: the server looked at the request and turned it down. */
function refusedByServer(err: unknown): boolean {
  const cause = (err as { cause?: unknown }).cause ?? err;
  return cause instanceof HttpError && cause.status >= 400 && cause.status < 500 && cause.status !== 401;
}

export type { BindingKind };
