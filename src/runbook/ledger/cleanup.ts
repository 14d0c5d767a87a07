/**
 * Cleanup: a scenario's ledger undone newest first, each undo marked in the ledger and recorded
 * as evidence; what could not be undone fails the scenario, naming the revert command. Used by
 * the After hook and by `npm run revert` (undoEntries).
 */
import type { Action } from '../../actions/types';
import type { RunContext } from '../context';
import { CleanupError } from '../errors';
import type { LedgerEntry } from './ledger';
import { Undoer } from './undo';

/**
 * Undo `pending` (newest first), calling `undone(seq)` after each success. Keeps going after a
 * failure so one stuck entry does not leave the rest; returns what failed.
 */
export async function undoEntries(
  undoer: Undoer,
  pending: LedgerEntry[],
  undone: (entry: LedgerEntry, done: string) => void,
): Promise<UndoFailure[]> {
  const failures: UndoFailure[] = [];
  for (const entry of pending) {
    try {
      undone(entry, await undoer.undo(entry.change));
    } catch (err) {
      failures.push({ entry, error: (err as Error).message, cause: err });
    }
  }
  return failures;
}

/** An entry that could not be undone: the message, and the error itself. */
export interface UndoFailure {
  entry: LedgerEntry;
  error: string;
  cause: unknown;
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
    {
      cause:
        failures.length === 1
          ? failures[0]!.cause
          : new AggregateError(
              failures.map((f) => f.cause),
              'undo failed',
            ),
    },
  );
}

export function describeChange(c: Action): string {
  if (c.op === 'bind' || c.op === 'unbind') return `${c.op} ${c.kind} ${c.target} / ${c.group}`;
  if (c.op === 'patch-object') return `${c.op} ${c.resource} ${c.name}: ${c.what}`;
  if (c.op === 'create-object')
    return `${c.op} ${c.resource} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
  return `${c.op} ${c.name}`;
}
