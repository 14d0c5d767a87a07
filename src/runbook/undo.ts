/**
 * Undo of ledger entries, newest first: delete what was created, restore fields, labels and
 * annotations that existed before, put bindings back. Each undo first reads the current state
 * and does nothing when it already matches, so replaying a ledger is idempotent. Used by the
 * After hooks and by `npm run revert`.
 */
import { NODE_GROUP_LABEL, NODEGROUP_API_VERSION, NODEGROUP_STATE } from '../constants';
import type { KapiClient, KapiRequest } from '../kapi/client';
import { HttpError } from '../kapi/errors';
import { type BindingKind, type NodeGroup, nodegroupRequests } from '../kapi/nodegroups';
import { removeCreated } from './acceptance/objects';
import { bindingMark, groupOf } from './bindings';
import type { RunContext } from './context';
import { CleanupError } from './errors';
import { FaultClient } from './faults';
import type { Change, GroupState, LedgerEntry } from './ledger';
import { hasGroupState } from './operator';
import { sameJson } from './same';
import { holdsMergePatch, type MergePatch, sendMergePatch } from './troubleshoot-patch';
import type { Verifier } from './verify';

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

  async undo(change: Change): Promise<string> {
    switch (change.op) {
      case 'create-nodegroup':
        return this.removeGroup(change.name);
      case 'patch-nodegroup':
        return this.restoreGroup(change.name, change.before);
      case 'delete-nodegroup':
        return this.recreateGroup(change.name, change.before);
      case 'bind':
        return this.undoBind(change.kind, change.group, change.target, change.before);
      case 'unbind':
        return this.undoUnbind(change.kind, change.group, change.target, change.before);
      case 'set-fault':
        return this.undoFault(change.name, change.before);
      case 'patch-object':
        return this.restoreObject(change);
      case 'create-object':
        return removeCreated(this.tools, change);
      case 'restart-deployment':
        return `deployment ${change.namespace}/${change.name} was restarted: a restart is not undone`;
    }
  }

  private async undoFault(name: string, before?: Record<string, unknown>): Promise<string> {
    // A set-fault entry exists only because the fault was switched on in an embedded sandbox.
    const faults = new FaultClient(this.tools.kapi, { kind: 'sandbox', host: 'the sandbox of the ledger' });
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

  private async restoreObject(change: Extract<Change, { op: 'patch-object' }>): Promise<string> {
    const { kapi, verifier } = this.tools;
    const { resource, name, namespace } = change;
    const ref = `${resource} ${namespace ? `${namespace}/` : ''}${name}`;
    const current = await verifier.get(resource, name, namespace);
    if (!current) return `${ref} is gone: nothing to restore after "${change.what}"`;
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
      throw new Error(`cannot restore nodegroup ${name}: it no longer exists`);
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
    const current = groupOf(kind, await verifier.get(kind, target));
    if (current !== group) return `${kind} ${target} is not in ${group}`;
    if (before) await kapi.call(nodegroupRequests.bind(kind, before, target));
    else await callAllowing404(kapi, nodegroupRequests.unbind(kind, group, target));
    await verifier.until(
      {
        resource: kind,
        name: target,
        description: `${kind} ${target} ${before ? `back in ${before}` : `without ${bindingMark(kind)}`}`,
      },
      (o) => groupOf(kind, o) === before,
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
    const current = groupOf(kind, await verifier.get(kind, target));
    if (current === group) return `${kind} ${target} is in ${group}`;
    const owner = await findGroup(kapi, group);
    if (!owner || owner.metadata.deletionTimestamp) {
      if (this.createdByRun(group)) return `nodegroup ${group} gone (created by this run)`;
      throw new Error(`cannot rebind ${kind} ${target}: nodegroup ${group} no longer exists`);
    }
    await kapi.call(nodegroupRequests.bind(kind, group, target));
    await verifier.until(
      { resource: kind, name: target, description: `${kind} ${target} back in ${group}` },
      (o) => groupOf(kind, o) === group,
    );
    return `bound ${kind} ${target} to ${group} again`;
  }
}

/**
 * Undo `pending` (newest first), calling `undone(seq)` after each success. Keeps going after a
 * failure so one stuck entry does not leave the rest; returns what failed.
 */
export async function undoEntries(
  undoer: Undoer,
  pending: LedgerEntry[],
  undone: (entry: LedgerEntry, done: string) => void,
): Promise<{ entry: LedgerEntry; error: string }[]> {
  const failures: { entry: LedgerEntry; error: string }[] = [];
  for (const entry of pending) {
    try {
      undone(entry, await undoer.undo(entry.change));
    } catch (err) {
      failures.push({ entry, error: (err as Error).message });
    }
  }
  return failures;
}

/**
 * The After hook's cleanup of one scenario: undo its pending entries, each marked in the ledger
 * and recorded as evidence; what could not be undone fails the scenario, naming the revert command.
 */
export async function undoScenario(ctx: RunContext, pending: LedgerEntry[]): Promise<void> {
  const { ledger, kapi, verifier } = ctx;
  const failures = await undoEntries(
    new Undoer({ kapi, verifier }, ledger.entries()),
    pending,
    (entry, done) => {
      ledger.markUndone(entry.seq);
      ctx.record({ kind: 'ledger', action: 'undone', entry, error: undefined });
      ctx.record({ kind: 'note', text: done });
    },
  );
  if (!failures.length) return;
  for (const f of failures) ctx.record({ kind: 'ledger', action: 'undone', entry: f.entry, error: f.error });
  throw new CleanupError(
    `cleanup failed, the target may still carry changes of this scenario:\n` +
      failures.map((f) => `  ${describeChange(f.entry.change)}: ${f.error}`).join('\n') +
      `\nundo them with: npm run revert -- --run-id ${ctx.runId}`,
    failures.map((f) => ({ entry: describeChange(f.entry.change), error: f.error })),
  );
}

export function describeChange(c: Change): string {
  if (c.op === 'bind' || c.op === 'unbind') return `${c.op} ${c.kind} ${c.target} / ${c.group}`;
  if (c.op === 'patch-object') return `${c.op} ${c.resource} ${c.name}: ${c.what}`;
  return `${c.op} ${c.name}`;
}
