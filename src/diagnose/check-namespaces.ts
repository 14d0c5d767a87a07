/**
 * Check 4: namespace and workspace labels/annotations. A namespace expected in the group (named,
 * labelled, listed by the group's `namespace-<ns>` label, or in a workspace bound to the group)
 * must carry the group label, be listed by the group, and have the scheduling and IPPool
 * annotations of the sections enabled in the config. A bound workspace carries the parent
 * annotation on its Workspace and WorkspaceTemplate.
 */
import type { Repair } from '../actions/types';
import { bindingKind } from '../binding-kinds';
import { NODE_SELECTOR_ANNOTATION } from '../constants';
import {
  DESIRED_NODEGROUP_ANNOTATION,
  IPPOOL_SYNCED_CONDITION,
  ippoolKeyOf,
  ippoolNameOf,
} from './model-names';
import { annotationOf, byName, conditionOf, eventsAbout, excerpt, finding, labelOf, nameOf } from './objects';
import { repairs as cmd } from './repairs';
import type { Evidence, Finding, KubeObject } from './types';

// The marks this check reads, from the binding kinds table (the namespace and workspace entries).
const NAMESPACE = bindingKind('namespace');
const WORKSPACE = bindingKind('workspace');
const NODE_GROUP_LABEL = NAMESPACE.mark.key;
const NAMESPACE_LABEL_PREFIX = NAMESPACE.binding.groupLabelPrefix ?? '';
const WORKSPACE_PARENT_ANNOTATION = WORKSPACE.mark.key;
/** A namespace's label naming its workspace: its members are bound with the workspace. */
const WORKSPACE_LABEL = WORKSPACE.binding.members?.label ?? '';

interface Problem {
  text: string;
  cause: string;
  next: Repair;
}

/** Workspaces expected in the group: the named one and those whose parent names the group. */
function expectedWorkspaces(ev: Evidence): string[] {
  const group = ev.target.nodegroup;
  const names = ev.workspaces
    .filter((w) => annotationOf(w, WORKSPACE_PARENT_ANNOTATION) === group)
    .map(nameOf);
  if (ev.target.workspace && !names.includes(ev.target.workspace)) names.push(ev.target.workspace);
  return names;
}

/** A bind or unbind recorded on the object that the controller has not applied: then the only problem. */
function unappliedRequest(obj: KubeObject): Problem | undefined {
  const intent = annotationOf(obj, DESIRED_NODEGROUP_ANNOTATION);
  if (intent === undefined) return undefined;
  return {
    text: `${intent ? `bind to ${intent}` : 'unbind'} requested, not applied`,
    cause: `the request is recorded (${DESIRED_NODEGROUP_ANNOTATION}) but the controller has not applied it: see controller health`,
    next: cmd.controllerPods(),
  };
}

function namespaceProblems(ev: Evidence, ns: KubeObject, workspaces: string[]): Problem[] {
  const pending = unappliedRequest(ns);
  if (pending) return [pending];
  const group = ev.target.nodegroup;
  const name = nameOf(ns);
  const bindCmd = cmd.bind(NAMESPACE.kind, group, name);
  const label = labelOf(ns, NODE_GROUP_LABEL);
  if (label !== group) {
    const listed = labelOf(ev.nodegroup, `${NAMESPACE_LABEL_PREFIX}${name}`) === name;
    const workspace = labelOf(ns, WORKSPACE_LABEL);
    const cause = label
      ? `it is bound to nodegroup ${label}`
      : listed
        ? `the group lists it (${NAMESPACE_LABEL_PREFIX}${name}) but the namespace label is gone: edited by hand`
        : workspace && workspaces.includes(workspace)
          ? `its workspace ${workspace} is bound to ${group} but this namespace is not: workspace binding incomplete`
          : 'the namespace was never bound to the group, or was unbound';
    return [{ text: `not labelled ${NODE_GROUP_LABEL}=${group}`, cause, next: bindCmd }];
  }
  const problems: Problem[] = [];
  if (ev.nodegroup && labelOf(ev.nodegroup, `${NAMESPACE_LABEL_PREFIX}${name}`) !== name) {
    problems.push({
      text: `the group lacks label ${NAMESPACE_LABEL_PREFIX}${name}=${name}`,
      cause: 'the group-side label was removed by hand or the bind did not finish',
      next: bindCmd,
    });
  }
  const selector = `${NODE_GROUP_LABEL}=${group}`;
  if (ev.config.sections.scheduling && annotationOf(ns, NODE_SELECTOR_ANNOTATION) !== selector) {
    problems.push({
      text: `annotation ${NODE_SELECTOR_ANNOTATION} is not ${selector}`,
      cause: 'scheduling is enabled but the annotation was not written or was edited by hand',
      next: bindCmd,
    });
  }
  const poolKey = ippoolKeyOf(group);
  if (ev.config.sections.ippool && annotationOf(ns, poolKey) !== ippoolNameOf(group)) {
    const failing = conditionOf(ev.nodegroup, IPPOOL_SYNCED_CONDITION)?.status === 'False';
    problems.push({
      text: `annotation ${poolKey} is not ${ippoolNameOf(group)}`,
      cause: failing
        ? "the group's IPPool sync is failing, so its annotation is not written: see the IPPool check"
        : 'ippool is enabled but the annotation was not written or was edited by hand',
      next: failing ? cmd.showIPPool(group) : bindCmd,
    });
  }
  return problems;
}

function workspaceProblems(ev: Evidence, ws: KubeObject): Problem[] {
  const pending = unappliedRequest(ws);
  if (pending) return [pending];
  const group = ev.target.nodegroup;
  const name = nameOf(ws);
  const bindCmd = cmd.bind(WORKSPACE.kind, group, name);
  const parent = annotationOf(ws, WORKSPACE_PARENT_ANNOTATION);
  if (parent !== group) {
    const cause = parent
      ? `it is bound to nodegroup ${parent}`
      : 'the workspace was never bound, or was unbound';
    return [
      { text: `annotation ${WORKSPACE_PARENT_ANNOTATION} is ${parent ?? 'absent'}`, cause, next: bindCmd },
    ];
  }
  const template = byName(ev.workspaceTemplates, name);
  if (template && annotationOf(template, WORKSPACE_PARENT_ANNOTATION) !== group) {
    return [
      {
        text: `its WorkspaceTemplate lacks ${WORKSPACE_PARENT_ANNOTATION}=${group}`,
        cause: 'the template annotation was edited by hand or the bind did not finish',
        next: bindCmd,
      },
    ];
  }
  return [];
}

export function checkNamespacesAndWorkspaces(ev: Evidence): Finding[] {
  const group = ev.target.nodegroup;
  if (!ev.nodegroup) return [finding('namespace-workspace', 'skip', 'no nodegroup to compare with')];
  const findings: Finding[] = [];
  const missing = (kind: string, name: string, next: Repair) =>
    finding('namespace-workspace', 'fail', `${kind} ${name} not found`, {
      objects: [{ ref: `${kind}/${name}`, found: false }],
      likelyCause: `no ${kind} has this name: check the spelling`,
      repair: next,
    });
  const workspaces = expectedWorkspaces(ev);
  for (const name of workspaces) {
    const ws = byName(ev.workspaces, name);
    if (!ws) {
      findings.push(missing(WORKSPACE.kind, name, cmd.listWorkspaces()));
      continue;
    }
    const [first, ...more] = workspaceProblems(ev, ws);
    if (!first) continue;
    const template = byName(ev.workspaceTemplates, name);
    findings.push(
      finding(
        'namespace-workspace',
        'fail',
        `workspace ${name}: ${[first, ...more].map((p) => p.text).join('; ')}`,
        {
          objects: [excerpt('workspace', ws), ...(template ? [excerpt('workspacetemplate', template)] : [])],
          events: eventsAbout(ev.events, WORKSPACE.targetKind, name).slice(-3),
          likelyCause: first.cause,
          repair: first.next,
        },
      ),
    );
  }
  if (ev.target.namespace && !byName(ev.namespaces, ev.target.namespace)) {
    findings.push(missing(NAMESPACE.kind, ev.target.namespace, cmd.listNamespaces()));
  }
  const expected = ev.namespaces.filter((ns) => {
    const workspace = labelOf(ns, WORKSPACE_LABEL);
    return (
      nameOf(ns) === ev.target.namespace ||
      labelOf(ns, NODE_GROUP_LABEL) === group ||
      labelOf(ev.nodegroup, `${NAMESPACE_LABEL_PREFIX}${nameOf(ns)}`) === nameOf(ns) ||
      (workspace !== undefined && workspaces.includes(workspace))
    );
  });
  for (const ns of expected) {
    const [first, ...more] = namespaceProblems(ev, ns, workspaces);
    if (!first) continue;
    const reasons = Object.values(NAMESPACE.reasons);
    findings.push(
      finding(
        'namespace-workspace',
        'fail',
        `namespace ${nameOf(ns)}: ${[first, ...more].map((p) => p.text).join('; ')}`,
        {
          objects: [excerpt('namespace', ns), excerpt('nodegroup', ev.nodegroup)],
          events: eventsAbout(ev.events, NAMESPACE.targetKind, nameOf(ns), reasons).slice(-3),
          likelyCause: first.cause,
          repair: first.next,
        },
      ),
    );
  }
  if (findings.length) return findings;
  const off = (['scheduling', 'ippool'] as const).filter((s) => !ev.config.sections[s]);
  const names = expected.map(nameOf);
  const summary =
    `${names.length} namespace(s) bound${names.length ? `: ${names.join(', ')}` : ''}` +
    (workspaces.length ? `; workspace(s) ${workspaces.join(', ')} bound` : '') +
    (names.length && off.length ? ` (${off.join(', ')} disabled: those annotations not expected)` : '');
  return [
    finding('namespace-workspace', 'pass', summary, {
      objects: [...expected.map((ns) => excerpt('namespace', ns))],
    }),
  ];
}
