/**
 * The ledger: before each change, one line goes to a JSON-lines file under
 * `<reports>/ledger/<run-id>/`, flushed to disk, so a run killed at any point leaves a record of
 * everything it may have changed. Undoing appends an `undone` line; nothing is ever rewritten,
 * so replaying a ledger twice does nothing the second time.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BindingKind } from '../kapi/nodegroups';
import type { ResourceName } from '../kube/resources';
import { LEDGER_SUBDIR } from './config';
import { ConfigError } from './errors';

/** What a nodegroup looked like before a change, as much as undo needs to restore it. */
export interface GroupState {
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Change =
  | { op: 'create-nodegroup'; name: string }
  | { op: 'patch-nodegroup'; name: string; before: GroupState }
  | { op: 'delete-nodegroup'; name: string; before: GroupState }
  /** `before`: the group the target belonged to before (undefined: none). */
  | { op: 'bind'; kind: BindingKind; group: string; target: string; before?: string }
  /** `before`: the group the target belonged to before (only a target that was in `group` is rebound). */
  | { op: 'unbind'; kind: BindingKind; group: string; target: string; before?: string }
  /** A sandbox fault switched on; `before`: its options when it was already on. */
  | { op: 'set-fault'; name: string; before?: Record<string, unknown> }
  /**
   * An object edited outside the KAPI (a hand edit, a kubectl repair): `restore` is the JSON merge
   * patch that puts back what the edit changed; `what` says what the edit was.
   */
  | {
      op: 'patch-object';
      resource: ResourceName;
      name: string;
      namespace?: string;
      what: string;
      restore: Record<string, unknown>;
    }
  /** A disposable object the run created through the Kubernetes API (acceptance): undo deletes it. */
  | { op: 'create-object'; resource: ResourceName; name: string; namespace?: string }
  /** `kubectl rollout restart`: new pods cannot be made old again; recorded so the run shows it. */
  | { op: 'restart-deployment'; name: string; namespace: string };

export interface LedgerTarget {
  kind: 'sandbox' | 'live';
  host: string;
  kubeconfig?: string;
  context?: string;
}

export interface LedgerHeader {
  type: 'header';
  runId: string;
  worker: string;
  pid: number;
  startedAt: string;
  target: LedgerTarget;
}

export interface LedgerEntry {
  type: 'change';
  seq: number;
  at: string;
  scenario: string;
  change: Change;
}

interface UndoneLine {
  type: 'undone';
  seq: number;
  /**
   * `refused`: the server refused the change, so there was nothing to undo. `kept`: a repair of a
   * live target the operator allowed; undoing it would break the target again.
   */
  how: 'undone' | 'refused' | 'kept';
}

type Line = LedgerHeader | LedgerEntry | UndoneLine;

export const ledgerDir = (reportsDir: string, runId: string) => join(reportsDir, LEDGER_SUBDIR, runId);

function appendLine(file: string, line: Line): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    // A change is on disk before it is sent: that is the point of the ledger. An `undone` line
    // lost to a machine crash costs nothing (undo checks the state first), so it skips the
    // flush, which was half the ledger's time in a run.
    if (line.type !== 'undone') fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The ledger of one process of a run. */
export class Ledger {
  private seq = 0;

  private constructor(
    readonly file: string,
    readonly header: LedgerHeader,
  ) {}

  static open(reportsDir: string, header: Omit<LedgerHeader, 'type'>): Ledger {
    const dir = ledgerDir(reportsDir, header.runId);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `worker-${header.worker}-${header.pid}.jsonl`);
    const full: LedgerHeader = { type: 'header', ...header };
    appendLine(file, full);
    return new Ledger(file, full);
  }

  record(scenario: string, change: Change): LedgerEntry {
    const entry: LedgerEntry = {
      type: 'change',
      seq: ++this.seq,
      at: new Date().toISOString(),
      scenario,
      change,
    };
    appendLine(this.file, entry);
    return entry;
  }

  markUndone(seq: number, how: UndoneLine['how'] = 'undone'): void {
    appendLine(this.file, { type: 'undone', seq, how });
  }

  /** Every change entry of this process, oldest first. */
  entries(): LedgerEntry[] {
    return readLedgerFile(this.file).entries;
  }

  /** Entries not undone yet, newest first (the order to undo them in). */
  pending(scenario?: string): LedgerEntry[] {
    return readLedgerFile(this.file).pending.filter((e) => scenario === undefined || e.scenario === scenario);
  }
}

export interface LedgerFile {
  file: string;
  header: LedgerHeader;
  /** Every change entry, in order. */
  entries: LedgerEntry[];
  /** Changes not undone yet, newest first. */
  pending: LedgerEntry[];
}

function readLedgerFile(file: string): LedgerFile {
  const lines = readFileSync(file, 'utf8').split('\n');
  let header: LedgerHeader | undefined;
  const entries: LedgerEntry[] = [];
  const undone = new Set<number>();
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      // A kill in the middle of a write leaves at most a torn last line; anything else is damage.
      if (index >= lines.length - 2) return;
      throw new ConfigError(
        `ledger ${file} line ${index + 1} is not JSON; inspect the file before reverting`,
      );
    }
    if (line.type === 'header') header = line;
    else if (line.type === 'change') entries.push(line);
    else if (line.type === 'undone') undone.add(line.seq);
  });
  if (!header) throw new ConfigError(`ledger ${file} has no header line; it is not a runbook ledger`);
  const pending = entries.filter((e) => !undone.has(e.seq)).reverse();
  return { file, header, entries, pending };
}

/** Every ledger file of a run. */
export function readRunLedgers(reportsDir: string, runId: string): LedgerFile[] {
  const dir = ledgerDir(reportsDir, runId);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    throw new ConfigError(
      `no ledger for run ${runId} under ${dir}; list the runs with \`ls ${join(reportsDir, LEDGER_SUBDIR)}\``,
    );
  }
  return names.sort().map((n) => readLedgerFile(join(dir, n)));
}

/** The most recent run id under `<reports>/ledger` (run ids sort by time). */
export function latestRunId(reportsDir: string): string | undefined {
  try {
    return readdirSync(join(reportsDir, LEDGER_SUBDIR)).sort().pop();
  } catch {
    return undefined;
  }
}

/** A ledger writer bound to a file that already exists (revert appends its `undone` lines). */
export function appendUndone(file: string, seq: number): void {
  appendLine(file, { type: 'undone', seq, how: 'undone' });
}
