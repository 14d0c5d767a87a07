/**
 * Every write the runbooks make, as data: an action is its kind (`op`), its parameters and, once
 * the flow has inspected the target, its before-state. The ledger stores actions as they are, a
 * finding carries the steps of its repair, `describe` renders each as the command a person types
 * (src/actions/describe.ts), the runbook library does and undoes them (src/runbook/actions). The
 * `op` names are those of the ledger files, so old ledgers still revert.
 */
import type { BindingKind } from '../binding-kinds';
import type { NodeGroupSpec } from '../kapi/nodegroups';
import type { ResourceName } from '../kube/resources';

/** What a nodegroup looked like before a change, as much as undo needs to restore it. */
export interface GroupState {
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type MergePatch = Record<string, unknown>;

/** What a kubectl write does to one object. */
export type ObjectEdit =
  | { type: 'labels' | 'annotations'; set: Record<string, string | null> }
  | { type: 'json-patch'; operations: unknown[] }
  | { type: 'merge-patch'; patch: MergePatch };

/** Writes through the KAPI (`nodegroup-api`). */
export type KapiAction =
  | { op: 'create-nodegroup'; name: string; spec?: NodeGroupSpec }
  /** A merge patch of `spec` fields, or a raw JSON Patch (`operations`). */
  | { op: 'patch-nodegroup'; name: string; spec?: NodeGroupSpec; operations?: unknown[]; before?: GroupState }
  | { op: 'delete-nodegroup'; name: string; before?: GroupState }
  /** `before`: the group the target belonged to before (undefined: none). */
  | { op: 'bind'; kind: BindingKind; group: string; target: string; before?: string }
  /** `before`: the group the target belonged to before (only a target that was in `group` is rebound). */
  | { op: 'unbind'; kind: BindingKind; group: string; target: string; before?: string };

/** Writes through kubectl. */
export type KubectlAction =
  /**
   * `kubectl label|annotate|patch` of one object. `as`: the resource word the command uses (`cm`);
   * `what`: the command line, and `restore`: the merge patch that undoes it, both set when ledgered.
   */
  | {
      op: 'patch-object';
      resource: ResourceName;
      name: string;
      namespace?: string;
      edit?: ObjectEdit;
      as?: string;
      what: string;
      restore?: MergePatch;
    }
  /** `kubectl rollout restart`: new pods cannot be made old again; recorded so the run shows it. */
  | { op: 'restart-deployment'; name: string; namespace: string }
  /**
   * `kubectl create -f -` of a disposable object the run makes (acceptance: a namespace, a
   * workspace, a Deployment, a pod). `body`: the object as sent (apiVersion, kind, metadata,
   * spec). Undo deletes it and waits until it is gone; nothing else is ever deleted this way.
   */
  | {
      op: 'create-object';
      resource: ResourceName;
      name: string;
      namespace?: string;
      body: Record<string, unknown>;
    };

/** The embedded sandbox's faults (`curl` on its control API). `before`: the options when it was on. */
export type FaultAction =
  | { op: 'set-fault'; name: string; options?: Record<string, unknown>; before?: Record<string, unknown> }
  | { op: 'clear-fault'; name: string; before?: Record<string, unknown> };

export type Action = KapiAction | KubectlAction | FaultAction;

/** Reads a finding may recommend as the next look. */
export type ReadStep =
  | { op: 'get-nodegroup'; name: string }
  | { op: 'list-nodegroups' }
  /** `kubectl <args>`, its output filtered by `| grep WORD`. */
  | { op: 'kubectl-read'; args: string[]; grep?: string };

/** One step of what a finding recommends: a read or an action. */
export type Step = Action | ReadStep;

/** The steps of a repair, in order (rendered joined by `&&`). */
export type Repair = Step[];

const READS: ReadonlySet<string> = new Set(['get-nodegroup', 'list-nodegroups', 'kubectl-read']);
export const isRead = (step: Step): step is ReadStep => READS.has(step.op);
