/**
 * What a fault is: a module with a name, an options schema, and hooks. The registry calls them;
 * nothing outside src/sandbox/faults/ knows a fault by name.
 */
import type { RequestContext } from '../http/http';
import type { ObjectStore } from '../store/store';
import type { OptionsSchema } from './schema';

/** What the sandbox lends a fault when it is switched on or off. */
export interface FaultEnv {
  store?: ObjectStore;
  expireTokens?: () => void;
}

/**
 * A step the controller is about to take. It asks the registry whether an active fault blocks it
 * (`Faults.blocks`), so reconcilers hold no fault logic.
 */
export type ControllerStep =
  | { step: 'reconcile' }
  | { step: 'sync-ippool'; nodegroup?: string }
  | { step: 'remove-finalizer'; nodegroup: string }
  /** The host reaching a member cluster (its tunnel): the cluster list asks before it says Ready. */
  | { step: 'reach-member'; cluster: string };

/** Something an operator did that can end a fault (a rollout restart replaces a hung process). */
export interface ClusterAction {
  action: 'rollout-restart';
  namespace: string;
  name: string;
}

export interface ActiveFault<O = Record<string, unknown>> {
  name: string;
  options: O;
  /** When it was switched on (ISO time). */
  since: string;
  /** kapi-errors with a count: answers left before it switches itself off. */
  remaining?: number;
}

/** How a request hook answers: pass it on, or it was answered. */
export type InterceptResult = 'pass' | 'answered';

export interface FaultModule<O = Record<string, unknown>> {
  name: string;
  /** One line for the control API's listing. */
  summary: string;
  options: OptionsSchema<O>;
  /** Set up the active fault (e.g. a countdown) from its options. */
  start?(fault: ActiveFault<O>): void;
  /** Before a ks-apiserver route runs (never the control API); `end` switches the fault off. */
  intercept?(fault: ActiveFault<O>, ctx: RequestContext, end: () => void): Promise<InterceptResult>;
  onSet?(env: FaultEnv, options: O): void;
  onClear?(env: FaultEnv, options: O): void;
  /** Does this fault stop the controller's step? */
  blocks?(options: O, step: ControllerStep): boolean;
  /** Does this action end the fault? */
  endedBy?(options: O, action: ClusterAction): boolean;
}

/** A module with its options type erased, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of every options type
export type AnyFaultModule = FaultModule<any>;

export const defineFault = <O>(module: FaultModule<O>): FaultModule<O> => module;
