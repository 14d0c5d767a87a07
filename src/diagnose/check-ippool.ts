/**
 * Check 5: IPPool sync. With `ippool` enabled each group has an IPPool labelled
 * `infra.kubesphere.io/ippool-<ng>=<ng>` whose `kubesphere.io/workspace` label follows the group's
 * workspace bindings; the group's IPPoolSynced condition and IPPoolSyncFailed events say whether
 * the controller's last sync worked.
 */
import { NODEGROUP_CONFIGMAP, WORKSPACE_LABEL, WORKSPACE_PARENT_ANNOTATION } from '../constants';
import { IPPOOL_SYNCED_CONDITION, ippoolKeyOf, ippoolNameOf, REASONS } from './model-names';
import {
  annotationOf,
  conditionOf,
  eventsAbout,
  excerpt,
  finding,
  labelOf,
  nameOf,
  reasonOf,
} from './objects';
import { repairs as cmd } from './repairs';
import type { Evidence, Finding } from './types';

export function checkIPPool(ev: Evidence): Finding[] {
  const ng = ev.nodegroup;
  if (!ng) return [finding('ippool-sync', 'skip', 'no nodegroup to inspect')];
  const group = nameOf(ng);
  if (!ev.config.sections.ippool) {
    return [
      finding('ippool-sync', 'skip', `ippool is disabled in ${NODEGROUP_CONFIGMAP}: no IPPool expected`),
    ];
  }
  if (ng.metadata.deletionTimestamp) {
    return [finding('ippool-sync', 'skip', 'the group is being deleted: its IPPool is removed')];
  }
  const key = ippoolKeyOf(group);
  const name = ippoolNameOf(group);
  const pool =
    ev.ippools.find((p) => labelOf(p, key) === group) ?? ev.ippools.find((p) => nameOf(p) === name);
  const condition = conditionOf(ng, IPPOOL_SYNCED_CONDITION);
  const syncEvents = eventsAbout(ev.events, 'NodeGroup', group, [
    REASONS.ippoolSynced,
    REASONS.ippoolSyncFailed,
  ]);
  const lastFailed = syncEvents.at(-1) && reasonOf(syncEvents.at(-1)!) === REASONS.ippoolSyncFailed;
  const objects = [
    excerpt('nodegroup', ng, condition ? { condition } : {}),
    ...(pool ? [excerpt('ippool', pool, { spec: pool['spec'] })] : []),
  ];
  if (condition?.status === 'False' || (!condition && lastFailed)) {
    return [
      finding(
        'ippool-sync',
        'fail',
        `IPPool ${name} not synced: ${condition?.reason ?? REASONS.ippoolSyncFailed}`,
        {
          objects,
          events: syncEvents.filter((e) => reasonOf(e) === REASONS.ippoolSyncFailed).slice(-1),
          likelyCause: condition?.message ?? "the controller's IPPool update fails (see the event)",
          repair: cmd.showIPPool(group),
        },
      ),
    ];
  }
  if (!pool) {
    return [
      finding('ippool-sync', 'fail', `no IPPool labelled ${key}=${group}`, {
        objects,
        likelyCause:
          "the controller has not synced the group's IPPool since ippool was enabled: see controller health",
        repair: cmd.controllerPods(),
      }),
    ];
  }
  const poolName = nameOf(pool);
  if (labelOf(pool, key) !== group) {
    return [
      finding('ippool-sync', 'fail', `IPPool ${poolName} lacks label ${key}=${group}`, {
        objects,
        likelyCause: 'the label was edited by hand',
        repair: cmd.label('ippool', poolName, { [key]: group }),
      }),
    ];
  }
  const workspaces = ev.workspaces
    .filter((w) => annotationOf(w, WORKSPACE_PARENT_ANNOTATION) === group)
    .map(nameOf)
    .sort();
  const poolWorkspace = labelOf(pool, WORKSPACE_LABEL);
  const wrong = workspaces.length ? !workspaces.includes(poolWorkspace ?? '') : poolWorkspace !== undefined;
  if (wrong) {
    const want = workspaces[0];
    return [
      finding(
        'ippool-sync',
        'fail',
        `IPPool ${poolName} has ${WORKSPACE_LABEL}=${poolWorkspace ?? '<none>'}, expected ${want ?? 'no workspace label'}`,
        {
          objects,
          likelyCause:
            "the workspace label does not follow the group's workspace bindings: edited by hand, or a sync was missed",
          repair: cmd.label('ippool', poolName, { [WORKSPACE_LABEL]: want ?? null }),
        },
      ),
    ];
  }
  return [finding('ippool-sync', 'pass', `IPPool ${poolName} in sync`, { objects })];
}
