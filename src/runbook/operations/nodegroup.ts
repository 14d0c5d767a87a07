/** NodeGroup operations in the safe flow: read, create, patch (fields or raw JSON Patch), delete, expectations. */
import { NODEGROUP_FINALIZER, NODEGROUP_STATE } from '../../constants';
import { commands } from '../../kapi/commands';
import type { NodeGroup, NodeGroupSpec } from '../../kapi/nodegroups';
import type { KubeObject } from '../../kube/reader';
import { TargetNotFoundError, VerifyError } from '../errors';
import type { Flow } from '../flow/flow';
import { guardDelete } from '../flow/guardrails';
import { groupState, hasGroupState } from '../ledger/group-state';
import { seenOf } from '../ledger/seen';

const spec = (obj: KubeObject | undefined) => (obj?.['spec'] as Record<string, unknown> | undefined) ?? {};
const state = (obj: KubeObject | undefined) => (obj?.['status'] as { state?: string } | undefined)?.state;

export async function getNodeGroup(flow: Flow, name: string): Promise<NodeGroup | undefined> {
  const found = await flow.findNodeGroup(name, commands.get(name));
  flow.snapshot('after', 'nodegroup', name, found);
  return found;
}

export const listNodeGroups = (flow: Flow, options: { name?: string; labelSelector?: string } = {}) =>
  flow.listNodeGroups(options);

/** Inspect step of the safe flow: the group must exist; its state is the before snapshot. */
async function requireGroup(flow: Flow, name: string): Promise<NodeGroup> {
  const before = await flow.findNodeGroup(name, commands.get(name));
  flow.snapshot('before', 'nodegroup', name, before);
  if (!before)
    throw new TargetNotFoundError(
      `nodegroup ${name} does not exist; check the name with \`${commands.list()}\``,
    );
  return before;
}

/** A wait on the group; `field`: what a failed wait shows as last seen. */
const waitGroup = (
  flow: Flow,
  name: string,
  what: string,
  holds: (g: KubeObject | undefined) => boolean,
  field?: readonly string[],
  after = false,
) =>
  flow.until(
    { resource: 'nodegroup', name, description: `nodegroup ${name} ${what}`, ...(field ? { field } : {}) },
    holds,
    { after },
  );

const untilGroup = (
  flow: Flow,
  name: string,
  what: string,
  holds: (g: KubeObject | undefined) => boolean,
  field?: readonly string[],
) => waitGroup(flow, name, what, holds, field, true);

export async function createNodeGroup(flow: Flow, name: string, fields: NodeGroupSpec): Promise<KubeObject> {
  const existing = await flow.findNodeGroup(name, commands.get(name));
  flow.snapshot('before', 'nodegroup', name, existing);
  if (existing)
    throw new VerifyError(`nodegroup ${name} already exists; choose another name or patch it instead`);
  await flow.act(
    { op: 'create-nodegroup', name, spec: fields },
    undefined,
    seenOf('nodegroup', undefined, name),
  );
  const after = await untilGroup(
    flow,
    name,
    `${NODEGROUP_STATE.active} with its finalizer`,
    (g) =>
      state(g) === NODEGROUP_STATE.active && (g?.metadata.finalizers ?? []).includes(NODEGROUP_FINALIZER),
    ['status', 'state'],
  );
  return after!;
}

/** Merge patch of the given fields only; verified field by field. */
export async function patchNodeGroup(flow: Flow, name: string, fields: NodeGroupSpec): Promise<KubeObject> {
  const before = await requireGroup(flow, name);
  await flow.act(
    { op: 'patch-nodegroup', name, spec: fields, before: groupState(before) },
    undefined,
    seenOf('nodegroup', before),
  );
  const wanted = Object.entries(fields).filter(([, v]) => v !== undefined);
  const after = await untilGroup(
    flow,
    name,
    `with ${JSON.stringify(fields)}`,
    (g) => wanted.every(([k, v]) => spec(g)[k] === v),
    ['spec'],
  );
  return after!;
}

/** Raw RFC 6902 JSON Patch, as the guide's `request PATCH`; verified against the patch applied locally. */
export async function jsonPatchNodeGroup(
  flow: Flow,
  name: string,
  operations: unknown[],
): Promise<KubeObject> {
  const before = await requireGroup(flow, name);
  await flow.act(
    { op: 'patch-nodegroup', name, operations, before: groupState(before) },
    undefined,
    seenOf('nodegroup', before),
  );
  const { applyPatch, deepClone } = require('fast-json-patch') as typeof import('fast-json-patch');
  const expected = applyPatch(deepClone(before), operations as never, false, false).newDocument as NodeGroup;
  const after = await untilGroup(flow, name, 'with the JSON Patch applied', (g) =>
    hasGroupState(g, groupState(expected)),
  );
  return after!;
}

/** DELETE; verified as gone or terminating (the finalizer waits while nodes are bound). */
export async function deleteNodeGroup(flow: Flow, name: string): Promise<KubeObject | undefined> {
  guardDelete(flow.guardTarget, name);
  const before = await requireGroup(flow, name);
  await flow.act(
    { op: 'delete-nodegroup', name, before: groupState(before) },
    undefined,
    seenOf('nodegroup', before),
  );
  return untilGroup(
    flow,
    name,
    'gone or terminating',
    (g) => !g || g.metadata.deletionTimestamp !== undefined,
  );
}

// --- what a runbook expects of a nodegroup, awaited ---

const expectGroup = (
  flow: Flow,
  name: string,
  what: string,
  holds: (g: KubeObject | undefined) => boolean,
  field?: readonly string[],
) => waitGroup(flow, name, what, holds, field);

export async function verifySpecField(flow: Flow, name: string, field: string, value: string): Promise<void> {
  await expectGroup(flow, name, `with ${field} "${value}"`, (g) => spec(g)[field] === value, ['spec', field]);
}

export async function verifyState(flow: Flow, name: string, wanted: string): Promise<void> {
  await expectGroup(flow, name, `in state ${wanted}`, (g) => state(g) === wanted, ['status', 'state']);
}

export async function verifyFinalizer(flow: Flow, name: string, finalizer: string): Promise<void> {
  await expectGroup(
    flow,
    name,
    `with finalizer ${finalizer}`,
    (g) => (g?.metadata.finalizers ?? []).includes(finalizer),
    ['metadata', 'finalizers'],
  );
}

export async function verifyGone(flow: Flow, name: string): Promise<void> {
  await expectGroup(flow, name, 'gone', (g) => !g);
}
