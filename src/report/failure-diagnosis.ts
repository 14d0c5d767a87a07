/**
 * When a step fails: what an operator would collect before anything else, gathered automatically.
 * The objects the scenario touched are read back from its evidence (snapshots, waits, ledger
 * entries, KAPI paths); for each nodegroup among them the guide's diagnosis runs (src/diagnose);
 * the objects, recent events, the nodegroup pods and the config come with it. Bounded by a
 * deadline and never throwing: a diagnosis must not hide or replace the failure it explains.
 */
import {
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../constants';
import { type Diagnosis, gatherEvidence, runChecks } from '../diagnose';
import { chronological } from '../diagnose/objects';
import type { ClusterSource, KubeObject } from '../diagnose/types';
import { RESOURCES } from '../kube/resources';
import type { Operation, ScenarioRecord } from '../runbook/evidence';

export interface Involved {
  nodegroups: string[];
  nodes: string[];
  namespaces: string[];
  workspaces: string[];
}

type Kind = keyof Involved;
const KIND_OF: Record<string, Kind> = {
  nodegroup: 'nodegroups',
  node: 'nodes',
  namespace: 'namespaces',
  workspace: 'workspaces',
};
const GROUP_PATH = /\/nodegroups\/([^/?#]+)(?:\/(nodes|namespaces|workspaces)\/([^/?#]+))?/;

function objectsOf(op: Operation): [Kind, string][] {
  switch (op.kind) {
    case 'snapshot':
      return KIND_OF[op.resource] ? [[KIND_OF[op.resource]!, op.name]] : [];
    case 'wait':
      return op.resource && op.name && KIND_OF[op.resource] ? [[KIND_OF[op.resource]!, op.name]] : [];
    case 'ledger': {
      const change = (op.entry as { change?: Record<string, string> } | undefined)?.change;
      if (!change) return [];
      if (change['op'] === 'bind' || change['op'] === 'unbind') {
        const kind = KIND_OF[change['kind'] ?? ''];
        return [
          ['nodegroups', change['group']!],
          ...(kind ? [[kind, change['target']!] as [Kind, string]] : []),
        ];
      }
      return change['name'] ? [['nodegroups', change['name']]] : [];
    }
    case 'http': {
      const m = GROUP_PATH.exec(op.request.url);
      if (!m) return [];
      const found: [Kind, string][] = [['nodegroups', decodeURIComponent(m[1]!)]];
      if (m[2] && m[3]) found.push([m[2] as Kind, decodeURIComponent(m[3])]);
      return found;
    }
    default:
      return [];
  }
}

/** The objects a scenario touched, the failing step's first (most likely the ones to look at). */
export function involvedIn(scenario: ScenarioRecord | undefined): Involved {
  const involved: Involved = { nodegroups: [], nodes: [], namespaces: [], workspaces: [] };
  if (!scenario) return involved;
  const steps = [...scenario.steps].reverse();
  for (const step of steps)
    for (const op of step.operations)
      for (const [kind, name] of objectsOf(op)) if (!involved[kind].includes(name)) involved[kind].push(name);
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
    const target = {
      nodegroup: group,
      ...(involved.nodes[0] ? { node: involved.nodes[0] } : {}),
      ...(involved.namespaces[0] ? { namespace: involved.namespaces[0] } : {}),
      ...(involved.workspaces[0] ? { workspace: involved.workspaces[0] } : {}),
    };
    try {
      const evidence = await gatherEvidence(source, target);
      out.diagnoses.push(runChecks(evidence));
      keep(evidence.nodegroup);
      for (const obj of [...evidence.nodes, ...evidence.namespaces, ...evidence.workspaces]) keep(obj);
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
  const named: [keyof typeof RESOURCES, string[]][] = [
    ['node', involved.nodes],
    ['namespace', involved.namespaces],
    ['workspace', involved.workspaces],
  ];
  const missing = named.flatMap(([r, names]) =>
    names
      .filter((n) => ![...seen.values()].some((o) => o.kind === RESOURCES[r].kind && o.metadata.name === n))
      .map((n) => [r, n] as const),
  );
  for (const obj of await Promise.all(missing.map(([r, n]) => source.get(RESOURCES[r], n)))) keep(obj);
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
