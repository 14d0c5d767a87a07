/**
 * Verification through client-node: read objects and wait for conditions on them, driven by a
 * watch with a deadline (never a fixed sleep). Every wait is recorded as evidence, and a wait that
 * runs out says what was expected, the one field last seen and which kubectl command shows it. A
 * wait on an object that has settled in a state that does not match ends early (src/runbook/
 * last-seen.ts says what settled means): its failure is the product's, not a controller's delay.
 */
import { type KubeObject, type KubeReader, WaitTimeoutError } from '../../kube/reader';
import { RESOURCES, type ResourceName, resourceRef } from '../../kube/resources';
import { TargetNotFoundError, VerifyError, WaitExpiredError } from '../errors';
import type { Operation } from '../evidence';
import { describeField, type FieldPath, isSettled, stillInTransition } from './last-seen';

export interface WaitSpec {
  resource: ResourceName;
  name: string;
  namespace?: string;
  /** What holds, in an operator's words ("node worker-3 has label ..."). */
  description: string;
  /** The field the expectation is about: a failed wait reports it alone, as last seen. */
  field?: FieldPath;
}

const kubectlGet = (resource: ResourceName, name: string, namespace?: string) =>
  `kubectl get ${resourceRef(resource).plural} ${name}${namespace ? ` -n ${namespace}` : ''} -o yaml`;

/** How long an object must stay unchanged, with nothing in flight, before a wait judges it settled. */
export const settleWindowMs = (timeoutMs: number): number =>
  Math.min(3_000, Math.max(100, Math.round(timeoutMs / 3)));

/** The wait ended early: the object is settled in a state that does not match. */
class Settled extends Error {
  constructor(readonly lastSeen: KubeObject | undefined) {
    super('settled');
  }
}

export class Verifier {
  constructor(
    readonly kube: KubeReader,
    private readonly record: (op: Operation) => void,
    readonly timeoutMs: number,
    /** Quiet time after which a non-matching object with nothing in flight ends the wait. */
    readonly settleMs: number = settleWindowMs(timeoutMs),
  ) {}

  get(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject | undefined> {
    return this.kube.get(resourceRef(resource), name, namespace);
  }

  async list(resource: ResourceName, options: { namespace?: string; labelSelector?: string } = {}) {
    return (await this.kube.list(resourceRef(resource), options)).items;
  }

  /**
   * Wait until `holds` is true of the object (undefined = absent); returns what was seen. Ends at
   * the deadline, or earlier once the object has stayed settled and unmatched for `settleMs`.
   */
  async until(
    spec: WaitSpec,
    holds: (obj: KubeObject | undefined) => boolean,
  ): Promise<KubeObject | undefined> {
    const started = performance.now();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let last: KubeObject | undefined;
    let seen = false;
    const kind = resourceRef(spec.resource).kind;
    // Every change re-arms the settle timer: only an object left alone that long counts as settled.
    const observe = (obj: KubeObject | undefined): boolean => {
      const ok = holds(obj);
      const changed = !seen || obj?.metadata.resourceVersion !== last?.metadata.resourceVersion;
      seen = true;
      last = obj;
      if (ok) clearTimeout(timer);
      else if (changed) {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (isSettled(last, kind)) abort.abort(new Settled(last));
        }, this.settleMs);
      }
      return ok;
    };
    const waited = () => ({ ...waitedOn(spec), durationMs: performance.now() - started });
    try {
      const found = await this.kube.waitFor(resourceRef(spec.resource), spec.name, observe, {
        timeoutMs: this.timeoutMs,
        description: spec.description,
        signal: abort.signal,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
      });
      this.record({ kind: 'wait', description: spec.description, ...waited(), ok: true });
      return found;
    } catch (err) {
      if (!(err instanceof WaitTimeoutError) && !(err instanceof Settled)) throw err;
      const settled = err instanceof Settled;
      const lastSeenField = describeField(err.lastSeen, spec.field);
      this.record({
        kind: 'wait',
        description: spec.description,
        ...waited(),
        ok: false,
        lastSeen: err.lastSeen,
        lastSeenField,
        settled,
      });
      const ms = Math.round(performance.now() - started);
      const inspect = `inspect: ${kubectlGet(spec.resource, spec.name, spec.namespace)}`;
      if (settled && err.lastSeen === undefined)
        throw new TargetNotFoundError(
          `expected ${spec.description}, but ${spec.resource} ${spec.name} does not exist (still absent after ${ms} ms); check the name\n${inspect.replace(' -o yaml', '')}`,
        );
      if (settled)
        throw new VerifyError(
          `expected ${spec.description}\nlast seen: ${lastSeenField} (settled: unchanged for ${this.settleMs} ms with nothing in flight, so waiting longer cannot help)\n${inspect}`,
        );
      // Still in transition at the deadline: a controller that has not finished (a stuck one).
      const unsettled = stillInTransition(err.lastSeen);
      if (unsettled)
        throw new WaitExpiredError(
          `wait expired: ${spec.description} did not come about within ${this.timeoutMs} ms; ${spec.resource} ${spec.name} is still ${unsettled}, so a controller has not finished its work\nlast seen: ${lastSeenField}\n${inspect}`,
          { cause: err },
        );
      throw new VerifyError(
        `expected ${spec.description}, but it did not hold within ${this.timeoutMs} ms\nlast seen: ${lastSeenField}\n${inspect}`,
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Wait until the Events about an object include one with this reason. */
  async event(
    involved: { kind: string; name: string },
    reason: string,
    namespace: string,
  ): Promise<KubeObject> {
    const description = `an event ${reason} on ${involved.kind} ${involved.name}`;
    const matches = (e: KubeObject) => {
      const about = e['involvedObject'] as { kind?: string; name?: string } | undefined;
      return about?.kind === involved.kind && about.name === involved.name && e['reason'] === reason;
    };
    const started = performance.now();
    try {
      const items = await this.kube.waitForList(RESOURCES.event, (list) => list.some(matches), {
        namespace,
        timeoutMs: this.timeoutMs,
        description,
      });
      this.record({ kind: 'wait', description, ok: true, durationMs: performance.now() - started });
      return items.find(matches)!;
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err;
      this.record({ kind: 'wait', description, ok: false, durationMs: performance.now() - started });
      throw new VerifyError(
        `expected ${description} within ${this.timeoutMs} ms; inspect with: kubectl get events -n ${namespace} ` +
          `--field-selector involvedObject.name=${involved.name}`,
        { cause: err },
      );
    }
  }
}

const waitedOn = (spec: WaitSpec) => ({
  resource: spec.resource,
  name: spec.name,
  ...(spec.namespace ? { namespace: spec.namespace } : {}),
});
