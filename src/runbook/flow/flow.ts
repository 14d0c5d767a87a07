/**
 * The guide's safe flow, one small module the World holds: inspect (a before snapshot) -> action
 * (ledgered first, then done) -> verify (a watch with a deadline, an after snapshot). Operations
 * (src/runbook/operations, troubleshooting) are functions over a Flow; steps use only its public
 * methods, never the run context behind it.
 */
import { describe as describeAction } from '../../actions/describe';
import type { Action } from '../../actions/types';
import type { KapiRequest } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import { type NodeGroup, type NodeGroupList, nodegroupRequests } from '../../kapi/nodegroups';
import type { KubeObject, KubeReader } from '../../kube/reader';
import type { ResourceName } from '../../kube/resources';
import { FaultClient } from '../actions/fault-client';
import type { KubectlResult } from '../actions/kubectl-runner';
import { perform, runKubectl } from '../actions/perform';
import type { RunContext } from '../context';
import type { LedgerEntry, SeenState } from '../ledger/ledger';
import { Undoer } from '../ledger/undo';
import { explainBlocked } from './blocked';
import type { GuardTarget } from './guardrails';
import type { WaitSpec } from './verifier';

export class Flow {
  constructor(
    private readonly ctx: RunContext,
    /** Ledger key of the scenario (its id), so After undoes exactly its own changes. */
    readonly scenario: string,
  ) {}

  /** What the guardrails judge: the target and whether destructive operations are allowed. */
  get guardTarget(): GuardTarget {
    const { kind, host } = this.ctx.target;
    const { allowDestructive, environment } = this.ctx.config;
    return {
      kind,
      host,
      allowDestructive,
      environment: environment.name,
      protected: environment.protected,
      // Ownership: what this process of the run did (its ledger), read when a rule needs it.
      made: () => this.ctx.ledger.made().map((e) => e.change),
    };
  }

  get waitTimeoutMs(): number {
    return this.ctx.config.waitTimeoutMs;
  }

  /** Send one KAPI request; unreachable host or missing credentials become a BlockedError. */
  async send<T>(req: KapiRequest, command: string): Promise<T> {
    try {
      return await this.ctx.kapi.call<T>(req);
    } catch (err) {
      throw explainBlocked(err, this.ctx.target.host, command, req);
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

  listNodeGroups(options: { name?: string; labelSelector?: string } = {}): Promise<NodeGroupList> {
    return this.send<NodeGroupList>(nodegroupRequests.list(options), 'nodegroup-api nodegroup list');
  }

  // --- inspect and verify (client-node) ---

  snapshot(label: 'before' | 'after', resource: string, name: string, object: unknown): void {
    this.ctx.record({ kind: 'snapshot', label, resource, name, object });
  }

  get(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject | undefined> {
    return this.ctx.verifier.get(resource, name, namespace);
  }

  list(resource: ResourceName, options: { namespace?: string; labelSelector?: string } = {}) {
    return this.ctx.verifier.list(resource, options);
  }

  /** Inspect: the object now, recorded as the before snapshot. */
  async inspect(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject | undefined> {
    const obj = await this.get(resource, name, namespace);
    this.snapshot('before', resource, name, obj);
    return obj;
  }

  /** Verify: wait until `holds`; with `after`, what was seen is the after snapshot. */
  async until(
    spec: WaitSpec,
    holds: (obj: KubeObject | undefined) => boolean,
    options: { after?: boolean } = {},
  ): Promise<KubeObject | undefined> {
    const seen = await this.ctx.verifier.until(spec, holds);
    if (options.after) this.snapshot('after', spec.resource, spec.name, seen);
    return seen;
  }

  /** Wait for an Event (reason, optionally type) about an object. */
  event(...args: Parameters<RunContext['verifier']['event']>) {
    return this.ctx.verifier.event(...args);
  }

  /** kubectl as an operator runs it (not ledgered: a read); a non-zero exit is returned, not thrown. */
  kubectl(args: string[]): Promise<KubectlResult> {
    return this.ctx.kubectl.run(args);
  }

  /** A kubectl read (not ledgered): the argv as `describe` renders it; a non-zero exit throws. */
  kubectlRead(argv: string[]): Promise<KubectlResult> {
    return runKubectl(this.ctx.kubectl, argv);
  }

  note(text: string): void {
    this.ctx.record({ kind: 'note', text });
  }

  // --- the action ---

  /**
   * The ledger entry on disk first (the action with its before-state), then the action; the
   * entry is voided when `changedNothing` says the failure left the target as it was.
   */
  async act<T = unknown>(
    action: Action,
    changedNothing: (err: unknown) => boolean = refusedByServer,
    seen?: SeenState,
  ): Promise<T> {
    return this.perform<T>(this.record([action], [seen])[0]!, changedNothing);
  }

  /**
   * Ledger entries for several actions in one write and one flush, all on disk before the first
   * is done (a batch); then `perform` each.
   */
  record(actions: readonly Action[], seen: readonly (SeenState | undefined)[] = []): LedgerEntry[] {
    const entries = this.ctx.ledger.recordAll(this.scenario, actions, seen);
    for (const entry of entries) this.ctx.record({ kind: 'ledger', action: 'recorded', entry });
    return entries;
  }

  /** Do the action of an entry already recorded; voided when `changedNothing` says so. */
  async perform<T = unknown>(
    entry: LedgerEntry,
    changedNothing: (err: unknown) => boolean = refusedByServer,
  ): Promise<T> {
    const action = entry.change;
    try {
      return (await perform(action, this.ctx, (req) => this.send(req, describeAction(action)))) as T;
    } catch (err) {
      if (changedNothing(err)) this.ctx.ledger.markUndone(entry.seq, 'refused');
      throw err;
    }
  }

  /** Record an event of the run's evidence (a wait, a snapshot) as the flow's own do. */
  evidence(op: Parameters<RunContext['record']>[0]): void {
    this.ctx.record(op);
  }

  /** The verifier's deadline and reader, for waits over many objects at once. */
  get verifier(): Pick<RunContext['verifier'], 'kube' | 'timeoutMs' | 'list'> {
    return this.ctx.verifier;
  }

  /** Entries of this scenario not undone yet, newest first. */
  pending(): LedgerEntry[] {
    return this.ctx.ledger.pending(this.scenario);
  }

  /** Undo one entry of this scenario now (as the After hook would), marked in the ledger. */
  async undoNow(entry: LedgerEntry): Promise<void> {
    const done = await new Undoer({ kapi: this.ctx.kapi, verifier: this.ctx.verifier }, []).undo(
      entry.change,
    );
    this.ctx.ledger.markUndone(entry.seq);
    this.note(done);
  }

  /** A repair of a live target the operator allowed: kept, not undone after the scenario. */
  keep(entry: LedgerEntry): void {
    this.ctx.ledger.markUndone(entry.seq, 'kept');
  }

  /** The sandbox's fault control, through the run's KAPI client (refused on other targets). */
  faults(): FaultClient {
    return new FaultClient(this.ctx.kapi, this.ctx.target);
  }

  /** The Kubernetes reader the diagnosis reads through. */
  get kube(): KubeReader {
    return this.ctx.verifier.kube;
  }
}

/** A 4xx other than 401: the server looked at the request and turned it down. */
function refusedByServer(err: unknown): boolean {
  const cause = (err as { cause?: unknown }).cause ?? err;
  return cause instanceof HttpError && cause.status >= 400 && cause.status < 500 && cause.status !== 401;
}
