/**
 * `npm run revert [-- --run-id ID] [--reports DIR]`: replay the ledger of a run (the latest one by
 * default) in reverse and undo what it changed. Idempotent: undone entries are marked in the
 * ledger, and every undo checks the current state first. Credentials come from the environment
 * (KUBESPHERE_USERNAME/PASSWORD or KUBESPHERE_TOKEN or the token cache), never from the ledger.
 */
import { parseArgs } from 'node:util';
import { EnvironmentError } from '../src/environment/errors';
import { useEnvironment } from '../src/environment/select';
import { ConnectionError } from '../src/kapi/errors';
import { normalHost } from '../src/kapi/token-cache';
import {
  appendUndone,
  describeChange,
  findConflicts,
  latestRunId,
  liveAccess,
  openKapi,
  openKube,
  parseRunConfig,
  readRunLedgers,
  reportsDirIn,
  Undoer,
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
  let failed = 0;
  for (const ledger of readRunLedgers(reports, runId)) {
    const { header, pending } = ledger;
    out.write(
      `run ${runId} worker ${header.worker} on ${header.target.host}: ${pending.length} change(s) to undo\n`,
    );
    if (pending.length === 0) continue;
    const chosen = selection.environment;
    if (chosen.kind === 'live' && chosen.host && normalHost(chosen.host) !== normalHost(header.target.host)) {
      out.write(
        `revert: run ${runId} was made on ${header.target.host}, but --env ${chosen.name} is ${chosen.host}; ` +
          'choose the environment of the run (nothing was sent)\n',
      );
      return 1;
    }
    const config = parseRunConfig(
      {
        target: 'live',
        host: header.target.host,
        ...(header.target.context ? { context: header.target.context } : {}),
        ...(header.target.kubeconfig ? { kubeconfig: header.target.kubeconfig } : {}),
      },
      env,
      selection,
    );
    const access = liveAccess(config, env);
    const kapi = openKapi(access);
    try {
      const verifier = new Verifier(openKube(access), () => {}, config.waitTimeoutMs);
      // Someone changed an object since the run: refuse before any write, unless --force.
      const conflicts = await findConflicts({ kapi, verifier }, pending, ledger.entries);
      if (conflicts.length && !given.force) {
        for (const c of conflicts) out.write(`  CHANGED SINCE THE RUN ${c.object}: ${c.changed}\n`);
        out.write(
          `revert: refusing to overwrite ${conflicts.length} object(s) changed since run ${runId} (nothing was sent); ` +
            `check them, then overwrite with: npm run revert -- --run-id ${runId} --force\n`,
        );
        return REVERT_CONFLICT_EXIT;
      }
      for (const c of conflicts) out.write(`  --force: overwriting ${c.object} (${c.changed})\n`);
      const failures = await undoEntries(
        new Undoer({ kapi, verifier }, ledger.entries),
        pending,
        (entry, done) => {
          appendUndone(ledger.file, entry.seq);
          out.write(`  undone ${describeChange(entry.change)}: ${done}\n`);
        },
      );
      for (const f of failures) out.write(`  FAILED ${describeChange(f.entry.change)}: ${f.error}\n`);
      failed += failures.length;
    } catch (err) {
      if (err instanceof ConnectionError && header.target.kind === 'sandbox')
        out.write(
          `  the run's embedded sandbox ended with it (${err.causeCode}): nothing left to undo there\n`,
        );
      else throw err;
    } finally {
      await kapi.close();
    }
  }
  out.write(failed ? `${failed} change(s) could not be undone; see above\n` : `run ${runId} reverted\n`);
  return failed ? 1 : 0;
}

if (require.main === module) runAsCommand('revert', () => revert(process.argv.slice(2)));
