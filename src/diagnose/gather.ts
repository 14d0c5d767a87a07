/**
 * Fill the evidence snapshot for a target from a ClusterSource: the group, the named objects, what
 * the group's labels and events point at, the config and the nodegroup deployment. Reads the group,
 * then two waves of independent reads in parallel, then keeps only the events about the objects read.
 */
import { BINDING_KINDS } from '../binding-kinds';
import {
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from '../constants';
import { checkName } from '../kapi/names';
import { RESOURCES } from '../kube/resources';
import { parseConfig } from './check-config';
import {
  CLUSTER_EVENTS_NAMESPACE,
  ippoolKeyOf,
  ippoolNameOf,
  NODE_BOUND_MESSAGE,
  REASONS,
} from './model-names';
import { annotationOf, messageOf, nameOf, reasonOf } from './objects';
import type { ClusterSource, Evidence, KubeObject, Target } from './types';

/** Throws a UsageError naming the bad input, before anything is read. */
export function checkTarget(target: Target): void {
  checkName('nodegroup', target.nodegroup);
  for (const kind of BINDING_KINDS) {
    const name = target[kind];
    if (name !== undefined) checkName(kind, name);
  }
}

/** Objects by name, first seen wins; undefined entries (not found) dropped. */
function unique(...lists: (KubeObject | undefined)[][]): KubeObject[] {
  const seen = new Map<string, KubeObject>();
  for (const obj of lists.flat()) if (obj && !seen.has(nameOf(obj))) seen.set(nameOf(obj), obj);
  return [...seen.values()];
}

const involved = (e: KubeObject) =>
  (e as unknown as { involvedObject?: { kind?: string; name?: string } }).involvedObject ?? {};

export async function gatherEvidence(source: ClusterSource, target: Target): Promise<Evidence> {
  checkTarget(target);
  const group = target.nodegroup;
  const R = RESOURCES;
  const maybe = <T>(name: string | undefined, read: (n: string) => Promise<T>) =>
    name === undefined ? Promise.resolve(undefined) : read(name);
  // The group first and alone: an unreachable host or a refused login fails once, not per read.
  const nodegroup = await (source.nodegroup ? source.nodegroup(group) : source.get(R.nodegroup, group));
  const [
    groupNodes,
    namedNode,
    groupNamespaces,
    namedNamespace,
    workspaces,
    templates,
    pools,
    namedPool,
    configMap,
    pods,
    deployments,
    clusterEvents,
    systemEvents,
  ] = await Promise.all([
    source.list(R.node, { labelSelector: `${NODE_GROUP_LABEL}=${group}` }),
    maybe(target.node, (n) => source.get(R.node, n)),
    source.list(R.namespace, { labelSelector: `${NODE_GROUP_LABEL}=${group}` }),
    maybe(target.namespace, (n) => source.get(R.namespace, n)),
    source.list(R.workspace),
    source.list(R.workspacetemplate),
    source.list(R.ippool, { labelSelector: `${ippoolKeyOf(group)}=${group}` }),
    source.get(R.ippool, ippoolNameOf(group)),
    source.get(R.configmap, NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE),
    source.list(R.pod, { namespace: NODEGROUP_NAMESPACE }),
    source.list(R.deployment, { namespace: NODEGROUP_NAMESPACE }),
    source.events(CLUSTER_EVENTS_NAMESPACE),
    source.events(NODEGROUP_NAMESPACE),
  ]);

  // Second wave: what the group's labels, its workspaces and binding events point at.
  const ofInterest = workspaces.filter(
    (w) => nameOf(w) === target.workspace || annotationOf(w, WORKSPACE_PARENT_ANNOTATION) === group,
  );
  const known = new Set([...groupNamespaces, namedNamespace].filter((n) => n).map((n) => nameOf(n!)));
  const listed = Object.entries(nodegroup?.metadata.labels ?? {})
    .filter(([key, value]) => key === `${NAMESPACE_LABEL_PREFIX}${value}` && !known.has(value))
    .map(([, value]) => value);
  const boundByEvents = clusterEvents
    .filter((e) => involved(e).kind === 'Node' && reasonOf(e) === REASONS.nodeBound)
    .filter((e) => NODE_BOUND_MESSAGE.exec(messageOf(e))?.[1] === group)
    .map((e) => involved(e).name ?? '');
  const nodeNames = new Set([...groupNodes, namedNode].filter((n) => n).map((n) => nameOf(n!)));
  const [members, listedNamespaces, eventNodes] = await Promise.all([
    Promise.all(
      ofInterest.map((w) => source.list(R.namespace, { labelSelector: `${WORKSPACE_LABEL}=${nameOf(w)}` })),
    ),
    Promise.all(listed.map((n) => source.get(R.namespace, n))),
    Promise.all(
      [...new Set(boundByEvents)].filter((n) => n && !nodeNames.has(n)).map((n) => source.get(R.node, n)),
    ),
  ]);

  const nodes = unique([namedNode], groupNodes, eventNodes);
  const namespaces = unique([namedNamespace], groupNamespaces, members.flat(), listedNamespaces);
  const wanted = new Set([
    `NodeGroup/${group}`,
    `ConfigMap/${NODEGROUP_CONFIGMAP}`,
    ...nodes.map((n) => `Node/${nameOf(n)}`),
    ...namespaces.map((n) => `Namespace/${nameOf(n)}`),
    ...ofInterest.map((w) => `Workspace/${nameOf(w)}`),
  ]);
  const data = configMap?.['data'] as Record<string, string> | undefined;
  return {
    target,
    ...(nodegroup ? { nodegroup } : {}),
    nodes,
    namespaces,
    workspaces: ofInterest,
    workspaceTemplates: templates.filter((t) => ofInterest.some((w) => nameOf(w) === nameOf(t))),
    ippools: unique(pools, [namedPool]),
    events: [...clusterEvents, ...systemEvents].filter((e) =>
      wanted.has(`${involved(e).kind}/${involved(e).name}`),
    ),
    config: parseConfig(data?.[NODEGROUP_CONFIG_KEY], configMap !== undefined),
    pods: pods.filter((p) => NODEGROUP_DEPLOYMENTS.some((d) => nameOf(p).startsWith(`${d}-`))),
    deployments: deployments.filter((d) => (NODEGROUP_DEPLOYMENTS as readonly string[]).includes(nameOf(d))),
  };
}
