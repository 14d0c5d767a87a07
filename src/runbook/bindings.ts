/** Where each kind of binding shows on its target object (the guide's constants). */
import { NODE_GROUP_LABEL, WORKSPACE_PARENT_ANNOTATION } from '../constants';
import type { BindingKind } from '../kapi/nodegroups';
import type { KubeObject } from '../kube/reader';

export const BINDING_KINDS: readonly BindingKind[] = ['node', 'namespace', 'workspace'];

/** The group a node, namespace or workspace belongs to, from its label or annotation. */
export function groupOf(kind: BindingKind, obj: KubeObject | undefined): string | undefined {
  if (!obj) return undefined;
  return kind === 'workspace'
    ? obj.metadata.annotations?.[WORKSPACE_PARENT_ANNOTATION]
    : obj.metadata.labels?.[NODE_GROUP_LABEL];
}

/** How an operator reads it: `label apps.edgewize.io/nodegroup` / `annotation ...parent`. */
export const bindingMark = (kind: BindingKind): string =>
  kind === 'workspace' ? `annotation ${WORKSPACE_PARENT_ANNOTATION}` : `label ${NODE_GROUP_LABEL}`;
