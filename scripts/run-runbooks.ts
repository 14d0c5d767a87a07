/**
 * `npm run runbooks -- [cucumber-js options]`: run the runbooks through cucumber's API with the
 * profiles of cucumber.js, check the run parameters before anything starts, and print a summary
 * (counts, each problem in one place, the ledger and evidence paths). Exit code 1 on any failure.
 */
import { parseRunConfig, RUN_ID_ENV, runsDir } from '../src/runbook/config';
import { ledgerDir } from '../src/runbook/ledger';
import { newRunId } from '../src/runbook/names';
import { runAsCommand } from './command';
import { renderSummary, SummaryCollector } from './runbook-summary';

/** --world-parameters values must be JSON objects; say which one is not, before cucumber does. */
export function checkWorldParameters(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value =
      arg === '--world-parameters'
        ? argv[i + 1]
        : arg.startsWith('--world-parameters=')
          ? arg.slice(19)
          : undefined;
    if (value === undefined) continue;
    try {
      const parsed = JSON.parse(value) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return `--world-parameters must be a JSON object, got ${value}; e.g. --world-parameters '{"vars":{"NODE":"worker-3"}}'`;
    } catch (err) {
      return `--world-parameters is not valid JSON (${(err as Error).message}): ${value}; e.g. --world-parameters '{"vars":{"NODE":"worker-3"}}'`;
    }
  }
  return undefined;
}

/** `-p NAME` / `--profile NAME` (repeatable): the API takes profiles apart from the other options. */
export function splitProfiles(argv: string[]): { profiles: string[]; rest: string[] } {
  const profiles: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '-p' || arg === '--profile') && argv[i + 1] !== undefined) profiles.push(argv[++i]!);
    else if (arg.startsWith('--profile=')) profiles.push(arg.slice(10));
    else rest.push(arg);
  }
  return { profiles, rest };
}

export async function runRunbooks(
  argv: string[],
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  const badJson = checkWorldParameters(argv);
  if (badJson) {
    out.write(`runbooks: ${badJson} (nothing was run)\n`);
    return 2;
  }
  process.env[RUN_ID_ENV] ??= newRunId();
  const runId = process.env[RUN_ID_ENV]!;
  const { loadConfiguration, runCucumber } =
    require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
  let loaded: Awaited<ReturnType<typeof loadConfiguration>>;
  let reportsDir: string;
  try {
    const { profiles, rest } = splitProfiles(argv);
    loaded = await loadConfiguration({ profiles, provided: rest });
    // The same check the BeforeAll hook makes, so a bad parameter stops the run before it starts.
    ({ reportsDir } = parseRunConfig(
      loaded.useConfiguration.worldParameters as Record<string, unknown>,
      process.env,
    ));
  } catch (err) {
    out.write(`runbooks: ${(err as Error).message} (nothing was run)\n`);
    return 2;
  }
  const collector = new SummaryCollector();
  let success: boolean;
  try {
    ({ success } = await runCucumber(loaded.runConfiguration, undefined, collector.onMessage));
  } catch (err) {
    // A failed BeforeAll (target unreachable, no credentials) stops the run: show its cause.
    const cause = (err as { cause?: Error }).cause;
    out.write(
      `runbooks: ${cause ? cause.message : (err as Error).message}\n  (no scenario ran; nothing was changed)\n`,
    );
    return 1;
  }
  const extra = loaded.useConfiguration.dryRun
    ? ['dry run: nothing was sent']
    : [`run id ${runId}`, `ledger ${ledgerDir(reportsDir, runId)}`, `evidence ${runsDir(reportsDir, runId)}`];
  const summary = collector.summaryOf(success);
  out.write(renderSummary(summary, extra));
  return summary.success ? 0 : 1;
}

if (require.main === module) runAsCommand('runbooks', () => runRunbooks(process.argv.slice(2)));
