/**
 * Undo of ledger entries, newest first: delete what was created, restore fields, labels and
 * annotations that existed before, put bindings back. Each undo first reads the current state
 * and does nothing when it already matches, so replaying a ledger is idempotent. Used by the
 * After hooks and by `npm run revert`.
 */

import type { Action, GroupState, MergePatch } from '../../actions/types';
import { type BindingKind, describeMark, groupOfTarget } from '../../binding-kinds';
import { NODE_GROUP_LABEL, NODEGROUP_API_VERSION, NODEGROUP_STATE } from '../../constants';
import type { KapiClient, KapiRequest } from '../../kapi/client';
import { HttpError } from '../../kapi/errors';
import { type NodeGroup, nodegroupRequests } from '../../kapi/nodegroups';
import { removeCreated } from '../actions/create-object';
import { FaultClient } from '../actions/fault-client';
import { holdsMergePatch, sendMergePatch } from '../actions/merge-patch';
import { ConfigError, TargetNotFoundError } from '../errors';
import type { Verifier } from '../flow/verifier';
import { sameJson } from '../same';
import { hasGroupState } from './group-state';
import type { LedgerEntry } from './ledger';

export interface UndoTools {
  kapi: KapiClient;
  verifier: Verifier;
}

async function callAllowing404(kapi: KapiClient, req: KapiRequest): Promise<void> {
  try {
    await kapi.call(req);
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) throw err;
  }
}

async function findGroup(kapi: KapiClient, name: string): Promise<NodeGroup | undefined> {
  try {
    return await kapi.call<NodeGroup>(nodegroupRequests.get(name));
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  }
}

/** A merge patch that sets every key of `wanted` and removes keys only `current` has. */
function restoring(
  current: Record<string, unknown>,
  wanted: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(current), ...Object.keys(wanted)]))
    if (!sameJson(current[key], wanted[key])) patch[key] = key in wanted ? wanted[key] : null;
  return patch;
}

export class Undoer {
  constructor(
    private readonly tools: UndoTools,
    /** Every entry of the ledger: tells which groups the run itself created. */
    private readonly all: LedgerEntry[],
  ) {}

  private createdByRun(name: string): boolean {
    return this.all.some((e) => e.change.op === 'create-nodegroup' && e.change.name === name);
  }

  /** `undo` of each action, from the before-state it was ledgered with. */
  async undo(change: Action): Promise<string> {
    switch (change.op) {
      case 'create-nodegroup':
        return this.removeGroup(change.name);
      case 'patch-nodegroup':
        return this.restoreGroup(change.name, change.before!);
      case 'delete-nodegroup':
        return this.recreateGroup(change.name, change.before!);
      case 'bind':
        return this.undoBind(change.kind, change.group, change.target, change.before);
      case 'unbind':
        return this.undoUnbind(change.kind, change.group, change.target, change.before);
      case 'set-fault':
        return this.undoFault(change.name, change.before);
      case 'clear-fault':
        return change.before
          ? this.undoFault(change.name, undefined, change.before)
          : `fault ${change.name} was off`;
      case 'patch-object':
        return this.restoreObject(change);
      case 'create-object':
        return removeCreated(this.tools, change);
      case 'restart-deployment':
        return `deployment ${change.namespace}/${change.name} was restarted: a restart is not undone`;
    }
  }

  private async undoFault(
    name: string,
    before?: Record<string, unknown>,
    cleared?: Record<string, unknown>,
  ): Promise<string> {
    // A fault entry exists only because the fault was switched in an embedded sandbox.
    const faults = new FaultClient(this.tools.kapi, { kind: 'sandbox', host: 'the sandbox of the ledger' });
    if (cleared) {
      await faults.set(name, cleared);
      return `fault ${name} on again with ${JSON.stringify(cleared)}`;
    }
    if (before) {
      await faults.set(name, before);
      return `fault ${name} back to ${JSON.stringify(before)}`;
    }
    return (await faults.clear(name)) ? `fault ${name} switched off` : `fault ${name} was already off`;
  }

  /**
   * The restore patch without the labels and annotations that name a group this run created and
   * that is gone: putting them back would leave a dangling binding (and, on a replay of the ledger,
   * redo a state between two entries already undone), as undoing an unbind does not rebind to a
   * group that is gone.
   */
  private async withoutGoneGroups(restore: MergePatch): Promise<MergePatch> {
    const ours = this.all.flatMap((e) => (e.change.op === 'create-nodegroup' ? [e.change.name] : []));
    const copy = structuredClone(restore) as {
      metadata?: Record<string, Record<string, unknown> | undefined>;
    };
    const gone = new Map<string, boolean>();
    for (const field of ['labels', 'annotations']) {
      const map = copy.metadata?.[field];
      for (const [key, value] of Object.entries(map ?? {})) {
        const text = `${key}=${typeof value === 'string' ? value : ''}`;
        for (const group of ours.filter((g) =>
          new RegExp(`(?<![a-z0-9])${g.replaceAll('.', '\\.')}(?![a-z0-9])`).test(text),
        )) {
          if (!gone.has(group)) {
            const owner = await findGroup(this.tools.kapi, group);
            gone.set(group, !owner || owner.metadata.deletionTimestamp !== undefined);
          }
          if (gone.get(group)) delete map![key];
        }
      }
    }
    return copy as MergePatch;
  }

  private async restoreObject(change: Extract<Action, { op: 'patch-object' }>): Promise<string> {
    const { kapi, verifier } = this.tools;
    const { resource, name, namespace } = change;
    const ref = `${resource} ${namespace ? `${namespace}/` : ''}${name}`;
    const current = await verifier.get(resource, name, namespace);
    if (!current) return `${ref} is gone: nothing to restore after "${change.what}"`;
    if (!change.restore)
      throw new ConfigError(`${ref}: the ledger entry of "${change.what}" has no restore patch`);
    const restore = await this.withoutGoneGroups(change.restore);
    if (holdsMergePatch(current, restore)) return `${ref} already as before "${change.what}"`;
    await sendMergePatch(kapi, resource, name, namespace, restore);
    await verifier.until(
      {
        resource,
        name,
        ...(namespace ? { namespace } : {}),
        description: `${ref} as before "${change.what}"`,
      },
      (o) => o === undefined || holdsMergePatch(o, restore as MergePatch),
    );
    return `restored ${ref} as before "${change.what}"`;
  }

  private async removeGroup(name: string): Promise<string> {
    const { kapi, verifier } = this.tools;
    const group = await findGroup(kapi, name);
    if (!group) return `nodegroup ${name} already gone`;
    // The run's own group: nodes it still holds would keep the finalizer (the delete "hang").
    const held = await verifier.list('node', { labelSelector: `${NODE_GROUP_LABEL}=${name}` });
    for (const node of held)
      await callAllowing404(kapi, nodegroupRequests.unbind('node', name, node.metadata.name!));
    if (!group.metadata.deletionTimestamp) await callAllowing404(kapi, nodegroupRequests.delete(name));
    await verifier.until({ resource: 'nodegroup', name, description: `nodegroup ${name} gone` }, (g) => !g);
    return `deleted nodegroup ${name}${held.length ? ` (after unbinding ${held.length} node(s))` : ''}`;
  }

  private async restoreGroup(name: string, before: GroupState): Promise<string> {
    const { kapi, verifier } = this.tools;
    const group = await findGroup(kapi, name);
    if (!group) {
      if (this.createdByRun(name)) return `nodegroup ${name} gone (created by this run)`;
      throw new TargetNotFoundError(`cannot restore nodegroup ${name}: it no longer exists`);
    }
    if (hasGroupState(group, before)) return `nodegroup ${name} already as before`;
    const body = {
      spec: restoring((group.spec ?? {}) as Record<string, unknown>, before.spec),
      metadata: {
        labels: restoring(group.metadata.labels ?? {}, before.labels),
        annotations: restoring(group.metadata.annotations ?? {}, before.annotations),
      },
    };
    await kapi.call({ ...nodegroupRequests.patchSpec(name, {}), body });
    await verifier.until(
      { resource: 'nodegroup', name, description: `nodegroup ${name} as before the run` },
      (g) => hasGroupState(g, before),
    );
    return `restored spec, labels and annotations of nodegroup ${name}`;
  }

  private async recreateGroup(name: string, before: GroupState): Promise<string> {
    const { kapi, verifier } = this.tools;
    if (this.createdByRun(name)) return `nodegroup ${name} was created by this run: nothing to recreate`;
    const gone = await verifier.until(
      { resource: 'nodegroup', name, description: `nodegroup ${name} deleted before recreating it` },
      (g) => !g?.metadata.deletionTimestamp,
    );
    if (gone) return `nodegroup ${name} exists`;
    await kapi.call({
      method: 'POST',
      path: nodegroupRequests.create(name).path,
      body: {
        apiVersion: NODEGROUP_API_VERSION,
        kind: 'NodeGroup',
        metadata: { name, labels: before.labels, annotations: before.annotations },
        spec: before.spec,
      },
    });
    await verifier.until({ resource: 'nodegroup', name, description: `nodegroup ${name} recreated` }, (g) => {
      const status = g?.['status'] as { state?: string } | undefined;
      return status?.state === NODEGROUP_STATE.active;
    });
    return `recreated nodegroup ${name} (its former bindings are not restored)`;
  }

  private async undoBind(kind: BindingKind, group: string, target: string, before?: string): Promise<string> {
    const { kapi, verifier } = this.tools;
    if (before === group) return `${kind} ${target} was already in ${group}`;
    const current = groupOfTarget(kind, await verifier.get(kind, target));
    if (current !== group) return `${kind} ${target} is not in ${group}`;
    if (before) await kapi.call(nodegroupRequests.bind(kind, before, target));
    else await callAllowing404(kapi, nodegroupRequests.unbind(kind, group, target));
    await verifier.until(
      {
        resource: kind,
        name: target,
        description: `${kind} ${target} ${before ? `back in ${before}` : `without ${describeMark(kind)}`}`,
      },
      (o) => groupOfTarget(kind, o) === before,
    );
    return before ? `moved ${kind} ${target} back to ${before}` : `unbound ${kind} ${target} from ${group}`;
  }

  private async undoUnbind(
    kind: BindingKind,
    group: string,
    target: string,
    before?: string,
  ): Promise<string> {
    const { kapi, verifier } = this.tools;
    if (before !== group) return `${kind} ${target} was not in ${group}`;
    const current = groupOfTarget(kind, await verifier.get(kind, target));
    if (current === group) return `${kind} ${target} is in ${group}`;
    const owner = await findGroup(kapi, group);
    if (!owner || owner.metadata.deletionTimestamp) {
      if (this.createdByRun(group)) return `nodegroup ${group} gone (created by this run)`;
      throw new TargetNotFoundError(`cannot rebind ${kind} ${target}: nodegroup ${group} no longer exists`);
    }
    await kapi.call(nodegroupRequests.bind(kind, group, target));
    await verifier.until(
      { resource: kind, name: target, description: `${kind} ${target} back in ${group}` },
      (o) => groupOfTarget(kind, o) === group,
    );
    return `bound ${kind} ${target} to ${group} again`;
  }
}
