/**
 * What a finding recommends, as steps (src/actions): API-level repairs go through `nodegroup-api`
 * (the guide's API-first rule); `kubectl label/patch` only where the repair is low-level (label
 * drift, a stuck finalizer, the config); `kubectl get` where the next step is to look closer. The
 * finding's `nextCommand` is these steps described; a runbook runs the steps themselves.
 */
import type { Repair } from '../actions/types';
import type { BindingKind } from '../binding-kinds';
import {
  NODE_GROUP_LABEL,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_FINALIZER,
  NODEGROUP_NAMESPACE,
} from '../constants';
import type { ResourceName } from '../kube/resources';
import { ippoolKeyOf } from './model-names';

const read = (...args: string[]): Repair => [{ op: 'kubectl-read', args }];

export const repairs = {
  listGroups: (): Repair => [{ op: 'list-nodegroups' }],
  getGroup: (name: string): Repair => [{ op: 'get-nodegroup', name }],
  bind: (kind: BindingKind, group: string, target: string): Repair => [{ op: 'bind', kind, group, target }],
  unbind: (kind: BindingKind, group: string, target: string): Repair => [
    { op: 'unbind', kind, group, target },
  ],
  /** Several repairs in order. */
  all: (repairs: Repair[]): Repair => repairs.flat(),
  /** Low-level: set (string) or remove (null) labels of one object with `kubectl label`. */
  label: (resource: ResourceName, name: string, set: Record<string, string | null>): Repair => [
    { op: 'patch-object', resource, name, edit: { type: 'labels', set }, what: '' },
  ],
  /** Low-level: put back a node label edited by hand. */
  labelNode: (node: string, group: string): Repair =>
    repairs.label('node', node, { [NODE_GROUP_LABEL]: group }),
  /** Low-level: remove the group's finalizer at `index`, guarded by a test of what is there. */
  removeFinalizer: (group: string, index: number): Repair => [
    {
      op: 'patch-object',
      resource: 'nodegroup',
      name: group,
      edit: {
        type: 'json-patch',
        operations: [
          { op: 'test', path: `/metadata/finalizers/${index}`, value: NODEGROUP_FINALIZER },
          { op: 'remove', path: `/metadata/finalizers/${index}` },
        ],
      },
      what: '',
    },
  ],
  controllerPods: (): Repair => [
    { op: 'kubectl-read', args: ['get', 'pods', '-n', NODEGROUP_NAMESPACE], grep: 'nodegroup' },
  ],
  restartDeployment: (name: string): Repair => [
    { op: 'restart-deployment', name, namespace: NODEGROUP_NAMESPACE },
  ],
  showConfig: () => read('get', 'cm', NODEGROUP_CONFIGMAP, '-n', NODEGROUP_NAMESPACE, '-o', 'yaml'),
  /** Low-level: replace the config text (the controller reads it live). */
  patchConfig: (text: string): Repair => [
    {
      op: 'patch-object',
      resource: 'configmap',
      as: 'cm',
      name: NODEGROUP_CONFIGMAP,
      namespace: NODEGROUP_NAMESPACE,
      edit: { type: 'merge-patch', patch: { data: { [NODEGROUP_CONFIG_KEY]: text } } },
      what: '',
    },
  ],
  showIPPool: (group: string) => read('get', 'ippools', '-l', `${ippoolKeyOf(group)}=${group}`, '-o', 'yaml'),
  showNode: (node: string) => read('get', 'node', node, '--show-labels'),
  listNodes: () => read('get', 'nodes', '--show-labels'),
  listNamespaces: () => read('get', 'ns', '--show-labels'),
  listWorkspaces: () => read('get', 'workspaces'),
};
