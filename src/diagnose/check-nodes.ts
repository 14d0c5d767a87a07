/**
 * Check 3: node labels. A node is in the group when it carries NODE_GROUP_LABEL=<group>. The
 * label is compared with the binding intent the API left (pending while the controller has not
 * applied it) and with the node's last binding event, which tells a label edited by hand (drift).
 */
import { NODE_GROUP_LABEL } from '../constants';
import { DESIRED_NODEGROUP_ANNOTATION, NODE_BOUND_MESSAGE, REASONS } from './model-names';
import {
  annotationOf,
  byName,
  eventsAbout,
  excerpt,
  finding,
  labelOf,
  messageOf,
  nameOf,
  reasonOf,
} from './objects';
import { repairs as cmd } from './repairs';
import type { Evidence, Finding, KubeObject } from './types';

const BINDING_REASONS = [REASONS.nodeBound, REASONS.nodeUnbound];

/** The group the node's last binding event put it in ('' = it left its group), if any event. */
function groupFromEvents(events: KubeObject[], node: string): string | undefined {
  const last = eventsAbout(events, 'Node', node, BINDING_REASONS).at(-1);
  if (!last) return undefined;
  if (reasonOf(last) === REASONS.nodeUnbound) return '';
  return NODE_BOUND_MESSAGE.exec(messageOf(last))?.[1];
}

function diagnoseNode(ev: Evidence, node: KubeObject, named: boolean): Finding | undefined {
  const group = ev.target.nodegroup;
  const name = nameOf(node);
  const label = labelOf(node, NODE_GROUP_LABEL);
  const intent = annotationOf(node, DESIRED_NODEGROUP_ANNOTATION);
  const events = eventsAbout(ev.events, 'Node', name, [...BINDING_REASONS, REASONS.nodeBindFailed]).slice(-3);
  const objects = [excerpt('node', node)];
  const shown = label ? `${NODE_GROUP_LABEL}=${label}` : `no ${NODE_GROUP_LABEL} label`;
  if (intent !== undefined && (named || intent === group || label === group)) {
    return finding(
      'node-labels',
      'fail',
      `node ${name}: ${intent ? `bind to ${intent}` : 'unbind'} requested, not applied`,
      {
        objects,
        events,
        likelyCause: `the request is recorded (${DESIRED_NODEGROUP_ANNOTATION}) but the controller has not applied it: see controller health`,
        repair: cmd.controllerPods(),
      },
    );
  }
  if (label === group) return undefined;
  if (groupFromEvents(ev.events, name) === group) {
    return finding(
      'node-labels',
      'fail',
      `node ${name}: label drift, ${shown} though it was bound to ${group}`,
      {
        objects,
        events,
        likelyCause: `the node label was edited by hand after the bind (no ${REASONS.nodeUnbound} event since ${REASONS.nodeBound})`,
        repair: cmd.labelNode(name, group),
      },
    );
  }
  if (!named) return undefined;
  const failed = events.some((e) => reasonOf(e) === REASONS.nodeBindFailed);
  return finding('node-labels', 'fail', `node ${name} is not in nodegroup ${group} (${shown})`, {
    objects,
    events,
    likelyCause: failed
      ? 'the last bind was refused (see the event); bind it again once the group accepts bindings'
      : label
        ? `it is bound to nodegroup ${label}: a node is in one group at a time`
        : 'the node was never bound to the group, or was unbound',
    repair: cmd.bind('node', group, name),
  });
}

export function checkNodeLabels(ev: Evidence): Finding[] {
  const group = ev.target.nodegroup;
  const named = ev.target.node;
  const findings: Finding[] = [];
  if (named && !byName(ev.nodes, named)) {
    findings.push(
      finding('node-labels', 'fail', `node ${named} not found`, {
        objects: [{ ref: `node/${named}`, found: false }],
        likelyCause: 'no node has this name: check the spelling',
        repair: cmd.listNodes(),
      }),
    );
  }
  for (const node of ev.nodes) {
    const problem = diagnoseNode(ev, node, nameOf(node) === named);
    if (problem) findings.push(problem);
  }
  if (findings.length) return findings;
  const bound = ev.nodes.filter((n) => labelOf(n, NODE_GROUP_LABEL) === group);
  const summary = bound.length
    ? `${bound.length} node(s) labelled ${NODE_GROUP_LABEL}=${group}: ${bound.map(nameOf).join(', ')}`
    : `no node labelled ${NODE_GROUP_LABEL}=${group}`;
  return [finding('node-labels', 'pass', summary, { objects: bound.map((n) => excerpt('node', n)) })];
}
