/**
 * Bind and unbind nodes, namespaces and workspaces through the KAPI (the guide's API-first rule),
 * in the safe flow: the target's group before, the change, the target's group after.
 */

import { commands } from '../kapi/commands';
import { type BindingKind, nodegroupRequests } from '../kapi/nodegroups';
import type { KubeObject } from '../kube/reader';
import { bindingMark, groupOf } from './bindings';

/** Where a kind's binding shows: the label or annotation bindingMark names. */
const bindingField = (kind: BindingKind): [string, string] => {
  const [word, key] = bindingMark(kind).split(' ') as [string, string];
  return [word === 'label' ? 'labels' : 'annotations', key];
};

import { checkDestructive } from './guardrails';
import { NodegroupOperator } from './nodegroup-ops';

export class Operator extends NodegroupOperator {
  async bind(kind: BindingKind, group: string, target: string): Promise<KubeObject | undefined> {
    const before = await this.inspectTarget(kind, target);
    const previous = groupOf(kind, before);
    await this.inspectGroup('before', kind, group);
    await this.change(
      { op: 'bind', kind, group, target, ...(previous ? { before: previous } : {}) },
      nodegroupRequests.bind(kind, group, target),
      commands.binding('bind', kind, group, target),
    );
    const after = await this.verifyGroup(kind, target, group);
    await this.inspectGroup('after', kind, group);
    return after;
  }

  async unbind(kind: BindingKind, group: string, target: string): Promise<KubeObject | undefined> {
    checkDestructive(this.guardTarget, `unbind ${kind} ${target} from nodegroup ${group}`);
    const before = await this.inspectTarget(kind, target);
    const previous = groupOf(kind, before);
    await this.inspectGroup('before', kind, group);
    await this.change(
      { op: 'unbind', kind, group, target, ...(previous ? { before: previous } : {}) },
      nodegroupRequests.unbind(kind, group, target),
      commands.binding('unbind', kind, group, target),
    );
    // Unbinding a target of another group leaves it there (the server unbinds only its own).
    const after = await this.verifyGroup(kind, target, previous === group ? undefined : previous);
    await this.inspectGroup('after', kind, group);
    return after;
  }

  /** Wait until the target shows `group` (undefined: no group). */
  async verifyGroup(
    kind: BindingKind,
    target: string,
    group: string | undefined,
  ): Promise<KubeObject | undefined> {
    const description = group
      ? `${kind} ${target} with ${bindingMark(kind)}=${group}`
      : `${kind} ${target} without ${bindingMark(kind)}`;
    const field = ['metadata', ...bindingField(kind)];
    const after = await this.ctx.verifier.until({ resource: kind, name: target, description, field }, (o) =>
      group === undefined ? o !== undefined && groupOf(kind, o) === undefined : groupOf(kind, o) === group,
    );
    this.snapshot('after', kind, target, after);
    return after;
  }

  /** Namespace and workspace bindings change the group too (its namespace labels): evidence as well. */
  private async inspectGroup(label: 'before' | 'after', kind: BindingKind, group: string): Promise<void> {
    if (kind === 'node') return;
    this.snapshot(label, 'nodegroup', group, await this.ctx.verifier.get('nodegroup', group));
  }

  private async inspectTarget(kind: BindingKind, target: string): Promise<KubeObject | undefined> {
    const obj = await this.ctx.verifier.get(kind, target);
    this.snapshot('before', kind, target, obj);
    return obj;
  }
}
