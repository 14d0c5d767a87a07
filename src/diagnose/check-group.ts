/** Checks 1 and 2 of the guide: does the group exist, and does its finalizer (still) hold it? */
import { NODE_GROUP_LABEL, NODEGROUP_FINALIZER, NODEGROUP_STATE } from '../constants';
import { REASONS } from './model-names';
import { eventsAbout, excerpt, finding, labelOf, nameOf } from './objects';
import { repairs as cmd } from './repairs';
import type { Evidence, Finding, KubeObject } from './types';

const stateOf = (ng: KubeObject) => (ng['status'] as { state?: string } | undefined)?.state;

function groupExcerpt(ng: KubeObject) {
  const state = stateOf(ng);
  return excerpt('nodegroup', ng, state ? { state } : {});
}

export function checkResourceExists(ev: Evidence): Finding[] {
  const group = ev.target.nodegroup;
  const ng = ev.nodegroup;
  if (!ng) {
    return [
      finding('resource-exists', 'fail', `nodegroup ${group} not found`, {
        objects: [{ ref: `nodegroup/${group}`, found: false }],
        likelyCause: `no NodeGroup is named "${group}": the name is misspelt or the group was deleted`,
        repair: cmd.listGroups(),
      }),
    ];
  }
  const state = stateOf(ng);
  const objects = [groupExcerpt(ng)];
  if (ng.metadata.deletionTimestamp || state === NODEGROUP_STATE.active) {
    return [finding('resource-exists', 'pass', `nodegroup ${group} exists (state ${state})`, { objects })];
  }
  return [
    finding('resource-exists', 'warn', `nodegroup ${group} exists but status.state is ${state || 'empty'}`, {
      objects,
      likelyCause: 'the controller has not reconciled the group since it was created',
      repair: cmd.controllerPods(),
    }),
  ];
}

export function checkFinalizer(ev: Evidence): Finding[] {
  const ng = ev.nodegroup;
  if (!ng) return [finding('finalizer', 'skip', 'no nodegroup to inspect')];
  const group = nameOf(ng);
  const index = ng.metadata.finalizers?.indexOf(NODEGROUP_FINALIZER) ?? -1;
  const objects = [groupExcerpt(ng)];
  if (!ng.metadata.deletionTimestamp) {
    if (index >= 0)
      return [finding('finalizer', 'pass', `finalizer ${NODEGROUP_FINALIZER} present`, { objects })];
    return [
      finding('finalizer', 'warn', `finalizer ${NODEGROUP_FINALIZER} missing`, {
        objects,
        likelyCause:
          'the controller adds the finalizer when it reconciles the group; without it a delete would not remove the bindings',
        repair: cmd.controllerPods(),
      }),
    ];
  }
  const bound = ev.nodes.filter((n) => labelOf(n, NODE_GROUP_LABEL) === group).map(nameOf);
  const events = eventsAbout(ev.events, 'NodeGroup', group, [REASONS.nodesStillBound]).slice(-1);
  if (bound.length) {
    return [
      finding('finalizer', 'fail', `delete hangs: ${bound.length} node(s) still bound: ${bound.join(', ')}`, {
        objects: [
          ...objects,
          ...ev.nodes.filter((n) => bound.includes(nameOf(n))).map((n) => excerpt('node', n)),
        ],
        events,
        likelyCause: `the controller keeps finalizer ${NODEGROUP_FINALIZER} until no node carries ${NODE_GROUP_LABEL}=${group}; unbind them`,
        repair: cmd.all(bound.map((node) => cmd.unbind('node', group, node))),
      }),
    ];
  }
  if (index >= 0) {
    return [
      finding(
        'finalizer',
        'fail',
        `delete hangs: finalizer ${NODEGROUP_FINALIZER} stuck with no node bound`,
        {
          objects,
          events: eventsAbout(ev.events, 'NodeGroup', group).slice(-3),
          likelyCause:
            'no node is bound, yet the controller has not removed its finalizer (controller down or failing for this group); removing it by hand is a low-level repair',
          repair: cmd.removeFinalizer(group, index),
        },
      ),
    ];
  }
  return [
    finding('finalizer', 'warn', 'being deleted; finalizer already removed', {
      objects,
      likelyCause: 'other finalizers hold the group, or the deletion is finishing now',
      repair: cmd.getGroup(group),
    }),
  ];
}
