/**
 * The diagnosis' data: the guide's checklist (in its order), a finding per check result, the
 * evidence snapshot the checks read, and the source the gatherer reads it from.
 */
import type { Repair } from '../actions/types';
import type { BindingKind } from '../binding-kinds';
import type { ConfigSection } from '../constants';
import type { KubeObject, ListOptions } from '../kube/reader';
import type { ResourceRef } from '../kube/resources';

export type { KubeObject };

/** The guide's troubleshooting checklist, in order, plus the deployment check it recommends. */
export const CHECKS = [
  { id: 'resource-exists', title: 'NodeGroup exists' },
  { id: 'finalizer', title: 'Finalizer and deletion' },
  { id: 'node-labels', title: 'Node labels' },
  { id: 'namespace-workspace', title: 'Namespace and workspace labels/annotations' },
  { id: 'ippool-sync', title: 'IPPool sync' },
  { id: 'config-enabled', title: 'Features enabled in nodegroup config' },
  { id: 'controller-health', title: 'Nodegroup pods Running and Ready' },
] as const;
export type CheckId = (typeof CHECKS)[number]['id'];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** Part of an object as the check saw it: the fields that matter to the finding. */
export type ObjectExcerpt = { ref: string } & Record<string, unknown>;

export interface Finding {
  check: { id: CheckId; title: string; order: number };
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  evidence: { objects: ObjectExcerpt[]; events: string[] };
  likelyCause?: string;
  /** What to do next, as steps (a read to look closer, or the repair's actions). */
  repair?: Repair;
  /** The repair described: `nodegroup-api ...` for API-level repair, `kubectl ...` for low-level. */
  nextCommand?: string;
}

/** What to diagnose: a group and, optionally, a target of each binding kind expected in it. */
export type Target = { nodegroup: string } & Partial<Record<BindingKind, string>>;

export interface ConfigEvidence {
  /** The ConfigMap exists. */
  found: boolean;
  /** Text of its nodegroup.yaml key (undefined when the key is absent). */
  text?: string;
  /** Parsed document (sections as written), when it parsed. */
  document?: Record<string, unknown>;
  sections: Record<ConfigSection, boolean>;
  /** Why the text is unusable, when it is. */
  error?: string;
}

/** Everything the checks read, gathered once; the checks are pure functions of it. */
export interface Evidence {
  target: Target;
  /** The NodeGroup; undefined when it does not exist. */
  nodegroup?: KubeObject;
  /** Nodes labelled with the group, the named node, and nodes the group's binding events name. */
  nodes: KubeObject[];
  /** The group's namespaces, the named one, members of the workspaces of interest. */
  namespaces: KubeObject[];
  /** The named workspace and those whose parent annotation names the group. */
  workspaces: KubeObject[];
  workspaceTemplates: KubeObject[];
  /** IPPools labelled for the group, and the one named after it. */
  ippools: KubeObject[];
  /** Events about the objects above and the config. */
  events: KubeObject[];
  config: ConfigEvidence;
  /** Pods and Deployments of the nodegroup deployment in kubesphere-system. */
  pods: KubeObject[];
  deployments: KubeObject[];
}

/** Where the gatherer reads from: a kubeconfig (KubeReader) or ks-apiserver's proxy (KAPI client). */
export interface ClusterSource {
  /** The object, or undefined when it does not exist. */
  get(r: ResourceRef, name: string, namespace?: string): Promise<KubeObject | undefined>;
  list(r: ResourceRef, options?: ListOptions): Promise<KubeObject[]>;
  /** All Events of a namespace (cluster-scoped objects' events are in `default`). */
  events(namespace: string): Promise<KubeObject[]>;
  /** The NodeGroup through the KAPI, when the source has it; otherwise read as a Kubernetes object. */
  nodegroup?(name: string): Promise<KubeObject | undefined>;
}

/** The gathered targets of one binding kind (its table entry names the evidence field). */
export function targetsOf(ev: Evidence, diagnoseField: string): KubeObject[] {
  return (ev as unknown as Record<string, KubeObject[] | undefined>)[diagnoseField] ?? [];
}
