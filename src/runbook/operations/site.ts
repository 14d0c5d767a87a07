/**
 * What the operations runbooks (features/operations/) need beyond single steps: preconditions
 * that the embedded sandbox stages and a live environment must already hold (a group exists, a
 * target is in a group), and unbinding everything a group holds before it is deleted.
 */
import { BINDING_KINDS, type BindingKind, groupOfTarget } from '../../binding-kinds';
import { commands } from '../../kapi/commands';
import { BatchBinder } from '../batch/batch-binding';
import { TargetNotFoundError, VerifyError } from '../errors';
import type { Flow } from '../flow/flow';
import { bind } from './binding';
import { createNodeGroup } from './nodegroup';

const onSandbox = (flow: Flow) => flow.guardTarget.kind === 'sandbox';

/** Nodegroup `name` exists: created on the sandbox when missing; elsewhere it must exist already. */
export async function groupExists(flow: Flow, name: string): Promise<void> {
  if (await flow.findNodeGroup(name, commands.get(name))) return;
  if (!onSandbox(flow))
    throw new TargetNotFoundError(
      `nodegroup ${name} does not exist on ${flow.guardTarget.host}; this runbook acts on an existing group ` +
        `(check the name with \`${commands.list()}\` and the runbook's variables)`,
    );
  flow.note(`staged on the sandbox: nodegroup ${name} created for this runbook`);
  await createNodeGroup(flow, name, {});
}

/** `target` is in `group`: bound on the sandbox when it is not; elsewhere it must be already. */
export async function targetIn(flow: Flow, kind: BindingKind, target: string, group: string): Promise<void> {
  const obj = await flow.get(kind, target);
  if (!obj) throw new TargetNotFoundError(`${kind} ${target} does not exist; check the runbook's variables`);
  const now = groupOfTarget(kind, obj);
  if (now === group) return;
  if (!onSandbox(flow))
    throw new VerifyError(
      `${kind} ${target} is ${now ? `in nodegroup ${now}` : 'in no nodegroup'}, not in ${group}; ` +
        'this runbook expects it there (check the runbook variables)',
    );
  flow.note(`staged on the sandbox: ${kind} ${target} bound to ${group} for this runbook`);
  await bind(flow, kind, group, target);
}

/** Unbind every target of every binding kind from `group` (a batch per kind); returns the counts. */
export async function unbindEverything(flow: Flow, group: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const kind of BINDING_KINDS) {
    const held = (await flow.list(kind)).filter((o) => groupOfTarget(kind, o) === group);
    counts[kind] = held.length;
    if (held.length)
      await new BatchBinder(flow).unbind(kind, group, { names: held.map((o) => o.metadata.name!) });
  }
  flow.note(
    `unbound from nodegroup ${group}: ${Object.entries(counts)
      .map(([k, n]) => `${n} ${k}(s)`)
      .join(', ')}`,
  );
  return counts;
}

/** Nothing of any binding kind is in `group` any more. */
export async function holdsNothing(flow: Flow, group: string): Promise<void> {
  for (const kind of BINDING_KINDS) {
    const held = (await flow.list(kind)).filter((o) => groupOfTarget(kind, o) === group);
    if (held.length)
      throw new VerifyError(
        `nodegroup ${group} still holds ${kind}(s) ${held.map((o) => o.metadata.name).join(', ')}`,
      );
  }
}
