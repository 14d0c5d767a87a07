/**
 * What operations keep. An `@operation` scenario's ledger entries stay pending after it (the After
 * hook skips their undo; they are not marked `kept`, which means "never revert": a pending entry
 * is exactly what `npm run revert` replays). At the end of a run on the embedded sandbox, the
 * proof that the sandbox is back first reverts what the operations kept (in the sandbox only,
 * without marking the ledger: the sandbox ends with the run, the ledger keeps the record of what
 * the run left on it), then compares the state with the one from before the run.
 */
import { describe } from '../../actions/describe';
import type { RunContext } from '../context';
import { CleanupError } from '../errors';
import { revertCommand } from '../operation-mode';
import { describeChange, undoEntries } from './cleanup';
import { type LedgerEntry, readRunLedgers } from './ledger';
import { diffState, type StateSnapshot, snapshotState } from './state-snapshot';
import { Undoer } from './undo';

export const keptNote = (count: number, runId: string) =>
  `@operation: ${count} change(s) kept (not undone); undo the run with: ${revertCommand(runId)}`;

/** AfterAll on the embedded sandbox: revert what operations kept, then prove the pre-run state. */
export async function proveSandboxBack(ctx: RunContext, baseline: StateSnapshot): Promise<void> {
  const kept = ctx.ledger.pending();
  if (kept.length) {
    const failures = await undoEntries(
      new Undoer({ kapi: ctx.kapi, verifier: ctx.verifier }, ctx.ledger.entries()),
      kept,
      () => {},
    );
    if (failures.length)
      throw new CleanupError(
        `reverting the ${kept.length} change(s) kept by @operation scenarios failed on the sandbox:\n  ` +
          failures.map((f) => `${describeChange(f.entry.change)}: ${f.error}`).join('\n  '),
        failures.map((f) => ({ entry: describeChange(f.entry.change), error: f.error })),
      );
  }
  const diff = diffState(baseline, await snapshotState(ctx.verifier.kube));
  if (diff.length)
    throw new CleanupError(
      `cleanup left the sandbox changed${kept.length ? ` (after reverting the ${kept.length} change(s) @operation scenarios kept)` : ''}:\n  ${diff.join('\n  ')}`,
      [],
    );
}

export interface KeptChange {
  worker: string;
  scenario: string;
  /** The change as the command a person types. */
  command: string;
}

/** Every change a run left pending (kept by operations, or not undone), oldest first. */
export function keptChanges(reportsDir: string, runId: string): KeptChange[] {
  let ledgers: ReturnType<typeof readRunLedgers>;
  try {
    ledgers = readRunLedgers(reportsDir, runId);
  } catch {
    return [];
  }
  return ledgers.flatMap((l) =>
    [...l.pending].reverse().map((e: LedgerEntry) => ({
      worker: l.header.worker,
      scenario: e.scenario,
      command: commandOf(e),
    })),
  );
}

function commandOf(e: LedgerEntry): string {
  try {
    return describe(e.change);
  } catch {
    return describeChange(e.change);
  }
}

/** The summary's lines about kept changes: each change and the command that undoes the run. */
export function keptLines(reportsDir: string, runId: string): string[] {
  const kept = keptChanges(reportsDir, runId);
  if (!kept.length) return [];
  return [
    `kept ${kept.length} change(s) (@operation):`,
    ...kept.map((k) => `  ${k.command}`),
    `undo them with: ${revertCommand(runId)}`,
  ];
}
