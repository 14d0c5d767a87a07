/** NodeGroup writes in the safe flow: create, patch (fields or raw JSON Patch), delete. */
import { NODEGROUP_FINALIZER, NODEGROUP_STATE } from '../constants';
import { commands } from '../kapi/commands';
import { type NodeGroup, type NodeGroupSpec, nodegroupRequests } from '../kapi/nodegroups';
import type { KubeObject } from '../kube/reader';
import { NotFoundError, VerifyError } from './errors';
import { checkDestructive } from './guardrails';
import { groupState, hasGroupState, OperatorBase } from './operator';

const spec = (obj: KubeObject | undefined) => (obj?.['spec'] as Record<string, unknown> | undefined) ?? {};
const state = (obj: KubeObject | undefined) => (obj?.['status'] as { state?: string } | undefined)?.state;

export class NodegroupOperator extends OperatorBase {
  async getNodeGroup(name: string): Promise<NodeGroup | undefined> {
    const found = await this.findNodeGroup(name, commands.get(name));
    this.snapshot('after', 'nodegroup', name, found);
    return found;
  }

  async createNodeGroup(name: string, fields: NodeGroupSpec): Promise<KubeObject> {
    const existing = await this.findNodeGroup(name, commands.get(name));
    this.snapshot('before', 'nodegroup', name, existing);
    if (existing)
      throw new VerifyError(`nodegroup ${name} already exists; choose another name or patch it instead`);
    await this.change(
      { op: 'create-nodegroup', name },
      nodegroupRequests.create(name, fields),
      commands.create(name, fields),
    );
    const after = await this.ctx.verifier.until(
      {
        resource: 'nodegroup',
        name,
        description: `nodegroup ${name} ${NODEGROUP_STATE.active} with its finalizer`,
        field: ['status', 'state'],
      },
      (g) =>
        state(g) === NODEGROUP_STATE.active && (g?.metadata.finalizers ?? []).includes(NODEGROUP_FINALIZER),
    );
    this.snapshot('after', 'nodegroup', name, after);
    return after!;
  }

  /** Merge patch of the given fields only; verified field by field. */
  async patchNodeGroup(name: string, fields: NodeGroupSpec): Promise<KubeObject> {
    const before = await this.requireGroup(name);
    await this.change(
      { op: 'patch-nodegroup', name, before: groupState(before) },
      nodegroupRequests.patchSpec(name, fields),
      commands.patch(name, fields),
    );
    const wanted = Object.entries(fields).filter(([, v]) => v !== undefined);
    const after = await this.ctx.verifier.until(
      {
        resource: 'nodegroup',
        name,
        description: `nodegroup ${name} with ${JSON.stringify(fields)}`,
        field: ['spec'],
      },
      (g) => wanted.every(([k, v]) => spec(g)[k] === v),
    );
    this.snapshot('after', 'nodegroup', name, after);
    return after!;
  }

  /** Raw RFC 6902 JSON Patch, as the guide's `request PATCH`; verified against the patch applied locally. */
  async jsonPatchNodeGroup(name: string, operations: unknown[]): Promise<KubeObject> {
    const before = await this.requireGroup(name);
    const req = nodegroupRequests.jsonPatch(name, operations);
    await this.change(
      { op: 'patch-nodegroup', name, before: groupState(before) },
      req,
      commands.request(req),
    );
    const { applyPatch, deepClone } = require('fast-json-patch') as typeof import('fast-json-patch');
    const expected = applyPatch(deepClone(before), operations as never, false, false)
      .newDocument as NodeGroup;
    const after = await this.ctx.verifier.until(
      { resource: 'nodegroup', name, description: `nodegroup ${name} with the JSON Patch applied` },
      (g) => hasGroupState(g, groupState(expected)),
    );
    this.snapshot('after', 'nodegroup', name, after);
    return after!;
  }

  /** DELETE; verified as gone or terminating (the finalizer waits while nodes are bound). */
  async deleteNodeGroup(name: string): Promise<KubeObject | undefined> {
    checkDestructive(this.guardTarget, `delete nodegroup ${name}`);
    const before = await this.requireGroup(name);
    await this.change(
      { op: 'delete-nodegroup', name, before: groupState(before) },
      nodegroupRequests.delete(name),
      commands.delete(name),
    );
    const after = await this.ctx.verifier.until(
      { resource: 'nodegroup', name, description: `nodegroup ${name} gone or terminating` },
      (g) => !g || g.metadata.deletionTimestamp !== undefined,
    );
    this.snapshot('after', 'nodegroup', name, after);
    return after;
  }

  // --- what a runbook expects of a nodegroup, awaited ---

  async verifySpecField(name: string, field: string, value: string): Promise<void> {
    await this.untilGroup(name, `with ${field} "${value}"`, (g) => spec(g)[field] === value, ['spec', field]);
  }

  async verifyState(name: string, wanted: string): Promise<void> {
    await this.untilGroup(name, `in state ${wanted}`, (g) => state(g) === wanted, ['status', 'state']);
  }

  async verifyFinalizer(name: string, finalizer: string): Promise<void> {
    await this.untilGroup(
      name,
      `with finalizer ${finalizer}`,
      (g) => (g?.metadata.finalizers ?? []).includes(finalizer),
      ['metadata', 'finalizers'],
    );
  }

  async verifyGone(name: string): Promise<void> {
    await this.untilGroup(name, 'gone', (g) => !g);
  }

  private untilGroup(
    name: string,
    what: string,
    holds: (g: KubeObject | undefined) => boolean,
    field?: readonly string[],
  ) {
    return this.ctx.verifier.until(
      { resource: 'nodegroup', name, description: `nodegroup ${name} ${what}`, ...(field ? { field } : {}) },
      holds,
    );
  }

  get guardTarget() {
    const { kind, host } = this.ctx.target;
    return { kind, host, allowDestructive: this.ctx.config.allowDestructive };
  }

  /** Inspect step of the safe flow: the group must exist; its state is the before snapshot. */
  protected async requireGroup(name: string): Promise<NodeGroup> {
    const before = await this.findNodeGroup(name, commands.get(name));
    this.snapshot('before', 'nodegroup', name, before);
    if (!before)
      throw new NotFoundError(`nodegroup ${name} does not exist; check the name with \`${commands.list()}\``);
    return before;
  }
}
