/**
 * The exact commands a finding recommends. API-level repairs go through `nodegroup-api` (the
 * guide's API-first rule); `kubectl label/patch` only where the repair is low-level (label drift,
 * a stuck finalizer, the config); `kubectl get` where the next step is to look closer.
 */
import {
  NODE_GROUP_LABEL,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_FINALIZER,
  NODEGROUP_NAMESPACE,
} from '../constants';
import { commands } from '../kapi/commands';
import type { BindingKind } from '../kapi/nodegroups';
import { ippoolKeyOf } from './model-names';

/** A JSON text inside single quotes for a POSIX shell. */
const quoted = (json: string) => `'${json.replaceAll("'", `'\\''`)}'`;

export const nextCommands = {
  listGroups: commands.list,
  getGroup: commands.get,
  bind: (kind: BindingKind, group: string, target: string) => commands.binding('bind', kind, group, target),
  unbind: (kind: BindingKind, group: string, target: string) =>
    commands.binding('unbind', kind, group, target),
  /** Several commands in order, as one shell line. */
  all: (commands: string[]) => commands.join(' && '),
  /** Low-level: put back a node label edited by hand. */
  labelNode: (node: string, group: string) =>
    `kubectl label node ${node} ${NODE_GROUP_LABEL}=${group} --overwrite`,
  /** Low-level: remove the group's finalizer at `index`, guarded by a test of what is there. */
  removeFinalizer: (group: string, index: number) =>
    `kubectl patch nodegroup ${group} --type=json -p ${quoted(
      JSON.stringify([
        { op: 'test', path: `/metadata/finalizers/${index}`, value: NODEGROUP_FINALIZER },
        { op: 'remove', path: `/metadata/finalizers/${index}` },
      ]),
    )}`,
  controllerPods: () => `kubectl get pods -n ${NODEGROUP_NAMESPACE} | grep nodegroup`,
  restartDeployment: (name: string) => `kubectl rollout restart deployment/${name} -n ${NODEGROUP_NAMESPACE}`,
  showConfig: () => `kubectl get cm ${NODEGROUP_CONFIGMAP} -n ${NODEGROUP_NAMESPACE} -o yaml`,
  /** Low-level: replace the config text (the controller reads it live). */
  patchConfig: (text: string) =>
    `kubectl patch cm ${NODEGROUP_CONFIGMAP} -n ${NODEGROUP_NAMESPACE} --type=merge -p ${quoted(
      JSON.stringify({ data: { [NODEGROUP_CONFIG_KEY]: text } }),
    )}`,
  showIPPool: (group: string) => `kubectl get ippools -l ${ippoolKeyOf(group)}=${group} -o yaml`,
  showNode: (node: string) => `kubectl get node ${node} --show-labels`,
  listNodes: () => 'kubectl get nodes --show-labels',
  listNamespaces: () => 'kubectl get ns --show-labels',
  listWorkspaces: () => 'kubectl get workspaces',
};
