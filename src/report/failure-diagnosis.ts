/**
 * When a step fails: what an operator would collect before anything else, gathered automatically.
 * The objects the scenario touched are read back from its evidence (snapshots, waits, ledger
 * entries, KAPI paths); for each nodegroup among them the guide's diagnosis runs (src/diagnose);
 * the objects, recent events, the nodegroup pods and the config come with it. Bounded by a
 * deadline and never throwing: a diagnosis must not hide or replace the failure it explains.
 */

import type { Action } from '../actions/types';
import { bindingKindSpecs } from '../binding-kinds';
import {
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../constants';
import { type Diagnosis, gatherEvidence, runChecks } from '../diagnose';
import { chronological } from '../diagnose/objects';
import { type ClusterSource, type KubeObject, type Target, targetsOf } from '../diagnose/types';
import { RESOURCES, resourceRef } from '../kube/resources';
import type { Operation, ScenarioRecord } from '../runbook/evidence';

/**
 * The objects a scenario touched: its nodegroups and, per binding kind, the targets (keyed by the
 * kind's diagnoseField: `nodes`, `namespaces`, ...; a kind added to the table shows here too).
 */
export type Involved = { nodegroups: string[] } & Record<string, string[]>;

type Field = string;

/** The field of an object named by a resource word (`nodegroup`, a binding kind's word), if any. */
function fieldOf(resource: string | undefined): Field | undefined {
  if (resource === 'nodegroup') return 'nodegroups';
  return bindingKindSpecs().find((k) => k.kind === resource)?.diagnoseField;
}

/** The field of a KAPI path segment under `/nodegroups/{ng}/` (`nodes`), if it is a kind's. */
const fieldOfSegment = (segment: string): Field | undefined =>
  bindingKindSpecs().find((k) => k.kapiSegment === segment)?.diagnoseField;

const GROUP_PATH = /\/nodegroups\/([^/?#]+)(?:\/([^/?#]+)\/([^/?#]+))?/;

/** The groups an action names: binds and nodegroup writes; a kubectl patch's object is its own kind. */
function ofAction(change: Action): [Field, string][] {
  switch (change.op) {
    case 'bind':
    case 'unbind': {
      const field = fieldOf(change.kind);
      return [['nodegroups', change.group], ...(field ? [[field, change.target] as [Field, string]] : [])];
    }
    case 'create-nodegroup':
    case 'patch-nodegroup':
    case 'delete-nodegroup':
      return [['nodegroups', change.name]];
    case 'patch-object': {
      const field = fieldOf(change.resource);
      return field ? [[field, change.name]] : [];
    }
    default:
      return [];
  }
}

function objectsOf(op: Operation): [Field, string][] {
  switch (op.kind) {
    case 'snapshot': {
      const field = fieldOf(op.resource);
      return field ? [[field, op.name]] : [];
    }
    case 'wait': {
      const field = fieldOf(op.resource);
      return field && op.name ? [[field, op.name]] : [];
    }
    case 'ledger': {
      const change = (op.entry as { change?: Action } | undefined)?.change;
      return change?.op ? ofAction(change) : [];
    }
    case 'http': {
      const m = GROUP_PATH.exec(op.request.url);
      if (!m) return [];
      const found: [Field, string][] = [['nodegroups', decodeURIComponent(m[1]!)]];
      const field = m[2] ? fieldOfSegment(m[2]) : undefined;
      if (field && m[3]) found.push([field, decodeURIComponent(m[3])]);
      return found;
    }
    default:
      return [];
  }
}

/** An empty Involved: no nodegroup and no target of any kind. */
export function noneInvolved(): Involved {
  const involved: Involved = { nodegroups: [] };
  for (const k of bindingKindSpecs()) involved[k.diagnoseField] = [];
  return involved;
}

/** The objects a scenario touched, the failing step's first (most likely the ones to look at). */
export function involvedIn(scenario: ScenarioRecord | undefined): Involved {
  const involved = noneInvolved();
  if (!scenario) return involved;
  const steps = [...scenario.steps].reverse();
  for (const step of steps)
    for (const op of step.operations)
      for (const [field, name] of objectsOf(op)) {
        const names = involved[field] ?? [];
        involved[field] = names;
        if (!names.includes(name)) names.push(name);
      }
  return involved;
}

export interface FailureDiagnostics {
  involved: Involved;
  /** One diagnosis per nodegroup involved (at most MAX_GROUPS). */
  diagnoses: Diagnosis[];
  /** The involved objects as they are now. */
  objects: KubeObject[];
  /** Events about them and the nodegroup deployment, oldest first. */
  events: KubeObject[];
  pods: KubeObject[];
  config?: { text?: string; error?: string };
  /** What could not be read, and a deadline that ran out. */
  problems: string[];
}

const MAX_GROUPS = 2;

async function readAll(source: ClusterSource, involved: Involved, out: FailureDiagnostics): Promise<void> {
  const seen = new Map<string, KubeObject>();
  const keep = (obj: KubeObject | undefined) => {
    if (obj) seen.set(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, obj);
  };
  const events = new Map<string, KubeObject>();
  for (const group of involved.nodegroups.slice(0, MAX_GROUPS)) {
    const target: Target = { nodegroup: group };
    for (const k of bindingKindSpecs()) {
      const first = involved[k.diagnoseField]?.[0];
      if (first) target[k.kind] = first;
    }
    try {
      const evidence = await gatherEvidence(source, target);
      out.diagnoses.push(runChecks(evidence));
      keep(evidence.nodegroup);
      for (const k of bindingKindSpecs()) for (const obj of targetsOf(evidence, k.diagnoseField)) keep(obj);
      for (const e of evidence.events) events.set(e.metadata.name ?? '', e);
      out.pods = evidence.pods;
      out.config = {
        ...(evidence.config.text !== undefined ? { text: evidence.config.text } : {}),
        ...(evidence.config.error ? { error: evidence.config.error } : {}),
      };
    } catch (err) {
      out.problems.push(`diagnosis of nodegroup ${group} failed: ${(err as Error).message}`);
    }
  }
  // Without a nodegroup (or when its diagnosis failed): the deployment's own state still helps.
  if (!out.config) {
    const [pods, cm] = await Promise.all([
      source.list(RESOURCES.pod, { namespace: NODEGROUP_NAMESPACE }),
      source.get(RESOURCES.configmap, NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE),
    ]);
    out.pods = pods.filter((p) =>
      NODEGROUP_DEPLOYMENTS.some((d) => (p.metadata.name ?? '').startsWith(`${d}-`)),
    );
    const text = (cm?.['data'] as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
    out.config =
      text !== undefined
        ? { text }
        : {
            error: `ConfigMap ${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP} or its key ${NODEGROUP_CONFIG_KEY} is missing`,
          };
  }
  const missing = bindingKindSpecs().flatMap((k) => {
    const r = resourceRef(k.kind);
    return (involved[k.diagnoseField] ?? [])
      .filter((n) => ![...seen.values()].some((o) => o.kind === r.kind && o.metadata.name === n))
      .map((n) => [r, n] as const);
  });
  for (const obj of await Promise.all(missing.map(([r, n]) => source.get(r, n)))) keep(obj);
  if (!out.diagnoses.length) {
    const wanted = new Set([...seen.values()].map((o) => `${o.kind}/${o.metadata.name}`));
    const all = [...(await source.events('default')), ...(await source.events(NODEGROUP_NAMESPACE))];
    for (const e of all) {
      const about = e['involvedObject'] as { kind?: string; name?: string } | undefined;
      if (wanted.has(`${about?.kind}/${about?.name}`) || about?.kind === 'Pod')
        events.set(e.metadata.name ?? '', e);
    }
  }
  out.objects = [...seen.values()];
  out.events = chronological([...events.values()]).slice(-30);
}

/** Gather the failure diagnostics within `timeoutMs`; whatever was read by then is returned. */
export async function diagnoseFailure(
  source: ClusterSource,
  involved: Involved,
  timeoutMs: number,
): Promise<FailureDiagnostics> {
  const out: FailureDiagnostics = {
    involved,
    diagnoses: [],
    objects: [],
    events: [],
    pods: [],
    problems: [],
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([readAll(source, involved, out).then(() => 'done' as const), deadline]);
    if (result === 'timeout')
      out.problems.push(
        `the diagnosis did not finish within ${timeoutMs} ms; what was read by then is shown`,
      );
  } catch (err) {
    out.problems.push(`reading the cluster for the diagnosis failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return out;
}
