/**
 * Verification through client-node: read objects and wait for conditions on them, driven by a
 * watch with a deadline (never a fixed sleep). Every wait is recorded as evidence, and a wait that
 * runs out says what was expected, what was last seen and which kubectl command shows it.
 */
import { DESIRED_NODEGROUP_ANNOTATION, NODEGROUP_STATE } from '../../constants';
import { type KubeObject, type KubeReader, WaitTimeoutError } from '../../kube/reader';
import { RESOURCES, type ResourceName, resourceRef } from '../../kube/resources';
import { VerifyError } from '../errors';
import type { Operation } from '../evidence';

export interface WaitSpec {
  resource: ResourceName;
  name: string;
  namespace?: string;
  /** What holds, in an operator's words ("node worker-3 has label ..."). */
  description: string;
}

const kubectlGet = (resource: ResourceName, name: string, namespace?: string) =>
  `kubectl get ${resourceRef(resource).plural} ${name}${namespace ? ` -n ${namespace}` : ''} -o yaml`;

export class Verifier {
  constructor(
    readonly kube: KubeReader,
    private readonly record: (op: Operation) => void,
    readonly timeoutMs: number,
  ) {}

  get(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject | undefined> {
    return this.kube.get(resourceRef(resource), name, namespace);
  }

  async list(resource: ResourceName, options: { namespace?: string; labelSelector?: string } = {}) {
    return (await this.kube.list(resourceRef(resource), options)).items;
  }

  /** Wait until `holds` is true of the object (undefined = absent); returns what was seen. */
  async until(
    spec: WaitSpec,
    holds: (obj: KubeObject | undefined) => boolean,
  ): Promise<KubeObject | undefined> {
    const started = performance.now();
    try {
      const seen = await this.kube.waitFor(resourceRef(spec.resource), spec.name, holds, {
        timeoutMs: this.timeoutMs,
        description: spec.description,
        ...(spec.namespace ? { namespace: spec.namespace } : {}),
      });
      this.record({
        kind: 'wait',
        description: spec.description,
        ...waitedOn(spec),
        ok: true,
        durationMs: performance.now() - started,
      });
      return seen;
    } catch (err) {
      if (!(err instanceof WaitTimeoutError)) throw err;
      this.record({
        kind: 'wait',
        description: spec.description,
        ...waitedOn(spec),
        ok: false,
        durationMs: performance.now() - started,
        lastSeen: err.lastSeen,
      });
      const inspect = `last seen: ${describeLastSeen(err.lastSeen)}. Inspect with: ${kubectlGet(spec.resource, spec.name, spec.namespace)}`;
      // Two different failures, worded apart so reports can sort them (src/report/categories.ts):
      // the object still in transition is a controller that has not finished ("wait expired"),
      // a settled object in another state is the product doing something else ("expected").
      const unsettled = stillInTransition(err.lastSeen);
      throw new VerifyError(
        unsettled
          ? `wait expired: ${spec.description} did not come about within ${this.timeoutMs} ms; ${spec.resource} ${spec.name} is still ${unsettled}, so a controller has not finished its work; ${inspect}`
          : `expected ${spec.description}, but it did not hold within ${this.timeoutMs} ms; ${inspect}`,
        { cause: err, stuck: unsettled !== undefined },
      );
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

/** What is still in flight on the object (terminating, a state other than active), if anything. */
function stillInTransition(obj: KubeObject | undefined): string | undefined {
  if (!obj) return undefined;
  const { deletionTimestamp, finalizers } = obj.metadata;
  if (deletionTimestamp) return `terminating (finalizers: ${(finalizers ?? []).join(', ') || 'none'})`;
  const state = (obj['status'] as { state?: string } | undefined)?.state;
  if (obj.kind === 'NodeGroup' && state === undefined) return 'not reconciled (no status.state)';
  if (state !== undefined && state !== NODEGROUP_STATE.active) return `in state ${state}`;
  const intent = obj.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION];
  if (intent !== undefined)
    return `waiting for its ${intent ? `bind to ${intent}` : 'unbind'} to be applied (${DESIRED_NODEGROUP_ANNOTATION})`;
  return undefined;
}

function describeLastSeen(obj: KubeObject | undefined): string {
  if (!obj) return 'the object does not exist';
  const { labels, annotations, finalizers, deletionTimestamp } = obj.metadata;
  return JSON.stringify({ labels, annotations, finalizers, deletionTimestamp, status: obj['status'] });
}
