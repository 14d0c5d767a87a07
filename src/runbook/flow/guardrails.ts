/**
 * Guardrails scoped to what the run owns. Ownership comes from the run's own ledger: a nodegroup
 * the run created, a binding the run made. Undoing the run's own work (unbind what it bound,
 * delete what it created) is allowed everywhere. The rules, checked before any request:
 *
 * - the embedded sandbox allows everything;
 * - any live environment refuses deleting a nodegroup the run did not create;
 * - a `protected` environment also refuses unbinding what the run did not bind, and a bind that
 *   moves a node, namespace or workspace out of another group the run does not own;
 * - the opt-in (--allow-destructive / RUNBOOK_ALLOW_DESTRUCTIVE=1) lifts all three.
 *
 * A refusal is a GuardrailError (RUNBOOK_GUARDRAIL) naming the object, the rule and the opt-in.
 */
import type { Action } from '../../actions/types';
import type { BindingKind } from '../../binding-kinds';
import { ALLOW_DESTRUCTIVE_ENV, ALLOW_DESTRUCTIVE_FLAG } from '../../environment/select';
import type { TargetKind } from '../config';
import { GuardrailError } from '../errors';

export interface GuardTarget {
  kind: TargetKind;
  host: string;
  allowDestructive: boolean;
  /** The environment's name and its `protected` flag. */
  environment?: string;
  protected?: boolean;
  /** What the run did so far: its ledger's changes the server did not refuse. */
  made?: () => readonly Action[];
}

export type GuardRule = 'delete-not-created' | 'unbind-not-bound' | 'move-out-of-other-group';

export const GUARD_RULES: Record<GuardRule, string> = {
  'delete-not-created': 'a run deletes only nodegroups it created',
  'unbind-not-bound': 'on a protected environment a run unbinds only what it bound',
  'move-out-of-other-group':
    'on a protected environment a bind does not move a target out of a group the run does not own',
};

const createdGroup = (made: readonly Action[], name: string) =>
  made.some((a) => a.op === 'create-nodegroup' && a.name === name);

const boundByRun = (made: readonly Action[], kind: BindingKind, target: string, group: string) =>
  made.some(
    (a) =>
      a.op === 'bind' && a.kind === kind && a.target === target && a.group === group && a.before !== group,
  );

/** Whether the run owns `target` being in `group`: it created the group or made the binding. */
const ownsBinding = (made: readonly Action[], kind: BindingKind, target: string, group: string) =>
  createdGroup(made, group) || boundByRun(made, kind, target, group);

function refuse(t: GuardTarget, rule: GuardRule, objects: string[], why: string): never {
  const where = `${t.host}${t.environment ? ` (environment ${t.environment}${t.protected ? ', protected' : ''})` : ''}`;
  throw new GuardrailError(
    `refusing to ${objects.join('; ')} on ${where}: ${why}. Rule: ${GUARD_RULES[rule]}. ` +
      `Allow it with ${ALLOW_DESTRUCTIVE_FLAG} or ${ALLOW_DESTRUCTIVE_ENV}=1 once the impact is confirmed ` +
      '(nothing was sent)',
  );
}

const lifted = (t: GuardTarget) => t.kind === 'sandbox' || t.allowDestructive;

/** Delete nodegroup `name`: only one the run created, unless opted in (any live environment). */
export function guardDelete(t: GuardTarget, name: string): void {
  if (lifted(t) || createdGroup(t.made?.() ?? [], name)) return;
  refuse(
    t,
    'delete-not-created',
    [`delete nodegroup ${name}`],
    `nodegroup ${name} was not created by this run`,
  );
}

export interface BindingChange {
  kind: BindingKind;
  group: string;
  target: string;
  /** The group the target is in now (undefined: none). */
  current?: string;
}

/** Unbind targets from their group: on a protected environment, only bindings the run owns. */
export function guardUnbind(t: GuardTarget, changes: readonly BindingChange[]): void {
  if (lifted(t) || !t.protected) return;
  const made = t.made?.() ?? [];
  const foreign = changes.filter((c) => !ownsBinding(made, c.kind, c.target, c.group));
  if (!foreign.length) return;
  refuse(
    t,
    'unbind-not-bound',
    foreign.map((c) => `unbind ${c.kind} ${c.target} from nodegroup ${c.group}`),
    `${foreign.length === 1 ? 'that binding was' : 'those bindings were'} not made by this run`,
  );
}

/** Bind targets: on a protected environment, none may leave a group the run does not own. */
export function guardBind(t: GuardTarget, changes: readonly BindingChange[]): void {
  if (lifted(t) || !t.protected) return;
  const made = t.made?.() ?? [];
  const moves = changes.filter(
    (c) =>
      c.current !== undefined && c.current !== c.group && !ownsBinding(made, c.kind, c.target, c.current),
  );
  if (!moves.length) return;
  refuse(
    t,
    'move-out-of-other-group',
    moves.map((c) => `bind ${c.kind} ${c.target} to nodegroup ${c.group}`),
    moves
      .map((c) => `${c.kind} ${c.target} is in nodegroup ${c.current}, and the bind would move it out`)
      .join('; '),
  );
}
