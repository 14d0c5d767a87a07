/**
 * Bind or unbind many targets at once, in the safe flow of a single binding: the targets' groups
 * before (one LIST), then per target a ledger entry and its KAPI request (at most `concurrency`
 * in flight), then one watch-driven wait for every target that was changed. A target the server
 * refused is named in the failure; the ones that went through stay ledgered, so the scenario's
 * cleanup (or `npm run revert`) undoes them like single bindings.
 *
 * Built on the flow's `record` (every entry on disk, one flush) and `perform` (void on refusal),
 * as `act` does for one target; nothing here knows the ledger's format.
 */

import type { Action } from '../../actions/types';
import { groupOfTarget } from '../../binding-kinds';
import { commands } from '../../kapi/commands';
import { HttpError } from '../../kapi/errors';
import type { BindingKind } from '../../kapi/nodegroups';
import type { KubeObject } from '../../kube/reader';
import { RunbookError, VerifyError } from '../errors';
import type { Flow } from '../flow/flow';
import { guardBind, guardUnbind } from '../flow/guardrails';
import type { SeenState } from '../ledger/ledger';
import { seenOf } from '../ledger/seen';
import { mapBounded } from './bounded';
import { checkSelector, EmptySelectionError } from './targets';
import { type Expected, waitForGroups } from './wait-all';

/** In flight at once, by default: enough to hide latency, few enough not to flood a server. */
export const DEFAULT_BATCH_CONCURRENCY = 16;

/** What a batch needs of the safe flow. */
export type BatchFlow = Pick<
  Flow,
  'record' | 'perform' | 'snapshot' | 'findNodeGroup' | 'guardTarget' | 'list' | 'verifier' | 'evidence'
>;

export type Verb = 'bind' | 'unbind';

/** Which targets: the names of a table, or a label selector. */
export type Selection = { names: readonly string[] } | { selector: string };

export interface BatchFailure {
  target: string;
  /** The server's answer or the error, first line. */
  error: string;
  status?: number;
}

export interface BatchResult {
  verb: Verb;
  kind: BindingKind;
  group: string;
  /** Targets changed and verified, in selection order. */
  changed: string[];
  failed: BatchFailure[];
}

/** Some targets of a batch failed; the others were changed, verified and stay ledgered. */
export class BatchFailedError extends VerifyError {
  constructor(readonly result: BatchResult) {
    const { verb, kind, group, changed, failed } = result;
    super(
      `${verb} of ${failed.length} of ${changed.length + failed.length} ${kind}(s) ${verb === 'bind' ? 'to' : 'from'} ` +
        `nodegroup ${group} failed:\n${failed.map((f) => `  ${kind} ${f.target}: ${f.error}`).join('\n')}\n` +
        `the other ${changed.length} ${verb === 'bind' ? 'are bound' : 'are unbound'} and ledgered ` +
        `(the scenario's cleanup undoes them, or: npm run revert)`,
    );
  }
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!;
const statusOf = (err: unknown): number | undefined => {
  const cause = (err as { cause?: unknown }).cause ?? err;
  return cause instanceof HttpError ? cause.status : undefined;
};

export class BatchBinder {
  constructor(
    private readonly op: BatchFlow,
    private readonly concurrency = DEFAULT_BATCH_CONCURRENCY,
  ) {}

  private get waitContext() {
    return {
      verifier: this.op.verifier,
      record: (op: Parameters<Flow['evidence']>[0]) => this.op.evidence(op),
    };
  }

  bind(kind: BindingKind, group: string, which: Selection): Promise<BatchResult> {
    return this.run('bind', kind, group, which);
  }

  unbind(kind: BindingKind, group: string, which: Selection): Promise<BatchResult> {
    return this.run('unbind', kind, group, which);
  }

  /** Wait (one watch) until every target of the selection shows `group` (undefined: none). */
  async verify(kind: BindingKind, which: Selection, group: string | undefined): Promise<void> {
    const targets = await this.inspect(kind, which);
    const expected = new Map(targets.map((t) => [t.name, group] as const));
    const seen = await waitForGroups(
      this.waitContext,
      kind,
      expected,
      describeOutcome(kind, which, expected.size, group),
    );
    this.op.snapshot('after', kind, describe(which), groupsOf(kind, seen, expected));
  }

  private async run(verb: Verb, kind: BindingKind, group: string, which: Selection): Promise<BatchResult> {
    const targets = await this.inspect(kind, which, 'before');
    // Guardrails before any request: every target judged, every refused one named.
    const judged = targets.map((t) => ({
      kind,
      group,
      target: t.name,
      ...(t.before ? { current: t.before } : {}),
    }));
    if (verb === 'bind') guardBind(this.op.guardTarget, judged);
    else guardUnbind(this.op.guardTarget, judged);
    const owner = await this.op.findNodeGroup(group, commands.get(group));
    if (!owner)
      throw new VerifyError(
        `nodegroup ${group} does not exist, so no ${kind} was ${verb === 'bind' ? 'bound' : 'unbound'}; ` +
          `list the groups with: ${commands.list()}`,
      );
    // The safe flow's ledger-first rule for the whole batch: every entry on disk (one flush)
    // before the first request; a target the server refuses has its entry voided.
    const actions = targets.map(
      ({ name, before }): Action => ({ op: verb, kind, group, target: name, ...(before ? { before } : {}) }),
    );
    const entries = this.op.record(
      actions,
      targets.map((t) => t.seen),
    );
    const work = targets.map((t, i) => ({ ...t, entry: entries[i]! }));
    const outcomes = await mapBounded(work, this.concurrency, async ({ before, entry }) => {
      await this.op.perform(entry);
      // Unbinding a target of another group leaves it there (the server unbinds only its own).
      return verb === 'bind' ? group : before === group ? undefined : before;
    });
    const expected = new Map<string, string | undefined>();
    const failed: BatchFailure[] = [];
    for (const o of outcomes) {
      if (o.ok) expected.set(o.item.name, o.value);
      else {
        // Anything but a server's answer (unreachable host, no credentials) stops the runbook.
        if (o.error instanceof RunbookError && !(o.error instanceof VerifyError)) throw o.error;
        const status = statusOf(o.error);
        failed.push({ target: o.item.name, error: firstLine(o.error), ...(status ? { status } : {}) });
      }
    }
    const seen = await waitForGroups(
      this.waitContext,
      kind,
      expected,
      `${expected.size} ${kind}(s) ${verb === 'bind' ? `in nodegroup ${group}` : `out of nodegroup ${group}`}`,
    );
    const result: BatchResult = { verb, kind, group, changed: [...expected.keys()], failed };
    this.op.snapshot('after', kind, describe(which), groupsOf(kind, seen, expected));
    if (failed.length) throw new BatchFailedError(result);
    return result;
  }

  /** The targets and their groups now (one LIST); with `label`, recorded as one compact snapshot. */
  private async inspect(
    kind: BindingKind,
    which: Selection,
    label?: 'before',
  ): Promise<{ name: string; before: string | undefined; seen: SeenState }[]> {
    const verifier = this.op;
    if ('selector' in which) {
      const selector = checkSelector(kind, which.selector);
      const items = await verifier.list(kind, { labelSelector: selector });
      if (items.length === 0) throw new EmptySelectionError(kind, selector);
      const targets = items.map((o) => ({
        name: o.metadata.name!,
        before: groupOfTarget(kind, o),
        seen: seenOf(kind, o),
      }));
      if (label) this.op.snapshot(label, kind, describe(which), groupsByName(targets));
      return targets;
    }
    const byName = new Map((await verifier.list(kind)).map((o) => [o.metadata.name, o]));
    // A name that is not there is still sent: the server's 404 names it in the failure.
    const targets = which.names.map((name) => ({
      name,
      before: groupOfTarget(kind, byName.get(name)),
      seen: seenOf(kind, byName.get(name), name),
    }));
    if (label) this.op.snapshot(label, kind, describe(which), groupsByName(targets));
    return targets;
  }
}

const groupsByName = (targets: { name: string; before: string | undefined }[]) =>
  Object.fromEntries(targets.map((t) => [t.name, t.before ?? null]));

function groupsOf(
  kind: BindingKind,
  items: readonly KubeObject[],
  expected: Expected,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const byName = new Map(items.map((o) => [o.metadata.name, o]));
  for (const name of expected.keys()) out[name] = groupOfTarget(kind, byName.get(name)) ?? null;
  return out;
}

/** `matching "node-role.kubernetes.io/edge"` or `edge-node-1, edge-node-2` (the snapshot's name). */
export function describe(which: Selection): string {
  if ('selector' in which) return `matching "${which.selector}"`;
  const shown = which.names.slice(0, 5).join(', ');
  return which.names.length > 5 ? `${shown}, ... (${which.names.length})` : shown;
}

function describeOutcome(kind: BindingKind, which: Selection, n: number, group: string | undefined): string {
  return `${n} ${kind}(s) ${describe(which)} ${group ? `in nodegroup ${group}` : 'in no nodegroup'}`;
}
