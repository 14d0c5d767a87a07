/**
 * `npm run revert [-- --run-id ID] [--reports DIR]`: replay the ledger of a run (the latest one by
 * default) in reverse and undo what it changed. Idempotent: undone entries are marked in the
 * ledger, and every undo checks the current state first. Credentials come from the environment
 * (KUBESPHERE_USERNAME/PASSWORD or KUBESPHERE_TOKEN or the token cache), never from the ledger.
 */
import { parseArgs } from 'node:util';
import { EnvironmentError } from '../src/environment/errors';
import { type Selection, useEnvironment } from '../src/environment/select';
import { ConnectionError } from '../src/kapi/errors';
import { normalHost } from '../src/kapi/token-cache';
import {
  appendUndone,
  type Conflict,
  describeChange,
  findConflicts,
  type LedgerFile,
  latestRunId,
  liveAccess,
  openKapi,
  openKube,
  parseRunConfig,
  readRunLedgers,
  reportsDirIn,
  Undoer,
  type UndoTools,
  undoEntries,
  Verifier,
} from '../src/runbook';
import { runAsCommand } from './command';

const USAGE = 'usage: npm run revert -- [--run-id ID] [--reports DIR] [--env NAME] [--force]';

/** Exit code of a revert refused because objects were changed since the run (nothing was sent). */
export const REVERT_CONFLICT_EXIT = 20;

/** The options; anything else (an unknown option, a run id without --run-id) is refused. */
function options(argv: string[]): { 'run-id'?: string; reports?: string; force?: boolean } {
  try {
    return parseArgs({
      args: argv,
      options: { 'run-id': { type: 'string' }, reports: { type: 'string' }, force: { type: 'boolean' } },
    }).values;
  } catch (err) {
    throw new Error(`${(err as Error).message}; ${USAGE}`);
  }
}

export async function revert(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  // --env NAME: where the credentials come from (and a check that the run was made there).
  let selection: ReturnType<typeof useEnvironment>;
  try {
    selection = useEnvironment(argv, env);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    out.write(`revert: ${err.message} (nothing was sent)\n`);
    return err.exitCode;
  }
  const given = options(selection.rest);
  const reports = given.reports ?? reportsDirIn(env);
  const runId = given['run-id'] ?? latestRunId(reports);
  if (!runId) throw new Error(`no run to revert: ${reports}/ledger is empty or missing`);
  const ledgers = readRunLedgers(reports, runId);
  const chosen = selection.environment;
  for (const { header, pending } of ledgers) {
    out.write(
      `run ${runId} worker ${header.worker} on ${header.target.host}: ${pending.length} change(s) to undo\n`,
    );
    if (
      pending.length &&
      chosen.kind === 'live' &&
      chosen.host &&
      normalHost(chosen.host) !== normalHost(header.target.host)
    ) {
      out.write(
        `revert: run ${runId} was made on ${header.target.host}, but --env ${chosen.name} is ${chosen.host}; ` +
          'choose the environment of the run (nothing was sent)\n',
      );
      return 1;
    }
  }
  const targets: Opened[] = [];
  try {
    // Every ledger of the run checked before any write: someone changed an object since the run?
    const conflicts: Conflict[] = [];
    for (const ledger of ledgers.filter((l) => l.pending.length)) {
      const opened = openTarget(ledger, env, selection);
      targets.push(opened);
      try {
        conflicts.push(...(await findConflicts(opened.tools, ledger.pending, ledger.entries)));
      } catch (err) {
        if (!(err instanceof ConnectionError && ledger.header.target.kind === 'sandbox')) throw err;
        opened.gone = err.causeCode;
      }
    }
    if (conflicts.length && !given.force) {
      for (const c of conflicts) out.write(`  CHANGED SINCE THE RUN ${c.object}: ${c.changed}\n`);
      out.write(
        `revert: refusing to overwrite ${conflicts.length} object(s) changed since run ${runId} (nothing was sent); ` +
          `check them, then overwrite with: npm run revert -- --run-id ${runId} --force\n`,
      );
      return REVERT_CONFLICT_EXIT;
    }
    for (const c of conflicts) out.write(`  --force: overwriting ${c.object} (${c.changed})\n`);
    let failed = 0;
    for (const { ledger, tools, gone } of targets) {
      if (gone) {
        out.write(`  the run's embedded sandbox ended with it (${gone}): nothing left to undo there\n`);
        continue;
      }
      const failures = await undoEntries(new Undoer(tools, ledger.entries), ledger.pending, (entry, done) => {
        appendUndone(ledger.file, entry.seq);
        out.write(`  undone ${describeChange(entry.change)}: ${done}\n`);
      });
      for (const f of failures) out.write(`  FAILED ${describeChange(f.entry.change)}: ${f.error}\n`);
      failed += failures.length;
    }
    out.write(failed ? `${failed} change(s) could not be undone; see above\n` : `run ${runId} reverted\n`);
    return failed ? 1 : 0;
  } finally {
    await Promise.all(targets.map((t) => t.tools.kapi.close()));
  }
}

interface Opened {
  ledger: LedgerFile;
  tools: UndoTools;
  /** The run's embedded sandbox is gone (the connection error's code). */
  gone?: string;
}

/** Clients for the target a ledger was made on, with this command's credentials. */
function openTarget(
  ledger: LedgerFile,
  env: Record<string, string | undefined>,
  selection: Selection,
): Opened {
  const { target } = ledger.header;
  const config = parseRunConfig(
    {
      target: 'live',
      host: target.host,
      ...(target.context ? { context: target.context } : {}),
      ...(target.kubeconfig ? { kubeconfig: target.kubeconfig } : {}),
    },
    env,
    selection,
  );
  const access = liveAccess(config, env);
  const kapi = openKapi(access);
  return {
    ledger,
    tools: { kapi, verifier: new Verifier(openKube(access), () => {}, config.waitTimeoutMs) },
  };
}

if (require.main === module) runAsCommand('revert', () => revert(process.argv.slice(2)));
