/**
 * `nodegroup-runbooks run [cucumber-js options]` (`npm run runbooks -- ...`): run the runbooks
 * through cucumber's API with the profiles of the package's cucumber.js, check the run parameters
 * before anything starts, and print a summary (counts, each problem in one place, "did you mean"
 * for a step no definition matches, the ledger and evidence paths). Exit code 1 on any failure.
 * From a folder with no features/ (an installed runner), the package's own runbooks run.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ClusterChoice, takeClustersFlag } from '../src/environment/clusters';
import { ENVIRONMENT_EXIT_CODES, EnvironmentError, environmentExitCode } from '../src/environment/errors';
import { type Selection, useEnvironment } from '../src/environment/select';
import { checkTools } from '../src/environment/tools';
import type { Envelope } from '../src/report/run-collector';
import { shardOf, writeShardInfo } from '../src/report/shards';
import { parseRunConfig, RUN_ID_ENV, runsDir } from '../src/runbook/config';
import { ledgerDir } from '../src/runbook/ledger/ledger';
import { newRunId } from '../src/runbook/scenario-names';
import { runAsCommand } from './command';
import { takeFleetFlags } from './fleet/fleet-run';
import { renderSummary, SummaryCollector } from './runbook-summary';
import { UndefinedStepAdvisor } from './step-suggestions';

/** The package root: cucumber.js, features/ and dist/ live there. */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/** The package's cucumber.js, relative to `cwd`: cucumber joins the two even when it is absolute. */
export function configFile(cwd = process.cwd()): string {
  return relative(cwd, join(PACKAGE_ROOT, 'cucumber.js')) || 'cucumber.js';
}

/** The code a ${VAR} without a value fails with (src/runbook/errors.ts). */
const MISSING_PARAMETER_CODE = 'RUNBOOK_MISSING_PARAMETER';

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

/** What a caller (the plan and apply commands) adds to a run: its own reader of the messages. */
export interface RunHooks {
  onMessage?: (envelope: Envelope) => void;
  /** Adjust the run configuration before it starts (a plan runs in this process: no workers). */
  configure?: (runConfiguration: { runtime: { parallel: number } }) => void;
}

export async function runRunbooks(
  argv: string[],
  out: { write(text: string): unknown } = process.stdout,
  hooks: RunHooks = {},
): Promise<number> {
  // --env / --context / --allow-destructive, handed on to the workers; kubectl checked up front.
  let selection: Selection;
  let clusters: ClusterChoice | undefined;
  let fleetFlags: { parallel?: number; timeoutS?: number } = {};
  try {
    const taken = takeClustersFlag(argv);
    const { rest, ...flags } = takeFleetFlags(taken.rest);
    fleetFlags = flags;
    selection = useEnvironment(rest, process.env);
    clusters = taken.choice ?? selection.environment.clusters;
    checkTools({ kubectl: true });
  } catch (err) {
    if (!(err instanceof EnvironmentError)) {
      if (err instanceof Error && /^--cluster/.test(err.message)) {
        out.write(`runbooks: ${err.message} (nothing was run)\n`);
        return 2;
      }
      throw err;
    }
    out.write(`runbooks: ${err.message} (nothing was run)\n`);
    return err.exitCode;
  }
  for (const notice of selection.notices) out.write(`runbooks: note: ${notice}\n`);
  argv = selection.rest;
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
    const file = configFile();
    loaded = await loadConfiguration({ file, profiles, provided: rest });
    // No runbook named and none here: the package's own (cucumber's default is ./features).
    if (loaded.useConfiguration.paths.length === 0 && !existsSync('features'))
      loaded = await loadConfiguration({
        file,
        profiles,
        provided: [...rest, join(PACKAGE_ROOT, 'features')],
      });
    // The same check the BeforeAll hook makes, so a bad parameter stops the run before it starts.
    ({ reportsDir } = parseRunConfig(
      loaded.useConfiguration.worldParameters as Record<string, unknown>,
      process.env,
      selection,
    ));
  } catch (err) {
    out.write(`runbooks: ${(err as Error).message} (nothing was run)\n`);
    return environmentExitCode(err) ?? 2;
  }
  if (clusters) {
    try {
      const { loadSources } = require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
      const { plan } = await loadSources(loaded.runConfiguration.sources);
      const fleet = require('./fleet/fleet-run') as typeof import('./fleet/fleet-run');
      const planned = plan.map((p) => ({ name: p.name, uri: p.uri, feature: fleet.featureName(p.uri) }));
      return await fleet.runFleet(
        {
          choice: clusters,
          environment: selection.environment,
          argv,
          runId,
          reportsDir,
          planned,
          ...fleetFlags,
        },
        out,
      );
    } catch (err) {
      out.write(`runbooks: ${(err as Error).message} (fleet run stopped)\n`);
      return environmentExitCode(err) ?? 1;
    }
  }
  // A shard of a run split over machines: its record, for `report --merge`.
  try {
    const shard = shardOf(argv);
    if (shard && !loaded.useConfiguration.dryRun) {
      const { loadSources } = require('@cucumber/cucumber/api') as typeof import('@cucumber/cucumber/api');
      const { plan } = await loadSources(loaded.runConfiguration.sources);
      // cucumber's own shard rule (its sharding plugin): every N-th pickle of the filtered plan.
      const scenarios = plan
        .filter((_, i) => i % shard.total === shard.index - 1)
        .map((p) => `${p.uri}:${p.location.line} ${p.name}`);
      writeShardInfo(reportsDir, { runId, ...shard, scenarios });
    }
  } catch (err) {
    out.write(`runbooks: ${(err as Error).message} (nothing was run)\n`);
    return 2;
  }
  const collector = new SummaryCollector();
  const advisor = new UndefinedStepAdvisor();
  const onMessage = (envelope: Parameters<typeof collector.onMessage>[0]) => {
    collector.onMessage(envelope);
    advisor.onMessage(envelope);
    hooks.onMessage?.(envelope);
  };
  hooks.configure?.(loaded.runConfiguration);
  let success: boolean;
  try {
    ({ success } = await runCucumber(loaded.runConfiguration, undefined, onMessage));
  } catch (err) {
    // A failed BeforeAll (target unreachable, no credentials) stops the run: show its cause.
    const cause = (err as { cause?: Error }).cause;
    out.write(
      `runbooks: ${cause ? cause.message : (err as Error).message}\n  (no scenario ran; nothing was changed)\n`,
    );
    return environmentExitCode(cause) ?? 1;
  }
  const extra = loaded.useConfiguration.dryRun
    ? ['dry run: nothing was sent']
    : [`run id ${runId}`, `ledger ${ledgerDir(reportsDir, runId)}`, `evidence ${runsDir(reportsDir, runId)}`];
  const summary = collector.summaryOf(success);
  out.write(renderSummary(summary, extra));
  out.write(advisor.render());
  if (summary.success) return 0;
  // Every failure a ${VAR} without a value: the run's own exit code (nothing was sent for them).
  const failed = summary.scenarios.filter((s) => !['PASSED', 'SKIPPED'].includes(s.outcome.status));
  const missing = failed.length > 0 && failed.every((s) => s.outcome.code === MISSING_PARAMETER_CODE);
  return missing ? ENVIRONMENT_EXIT_CODES.ENV_MISSING_VARIABLE : 1;
}

if (require.main === module) runAsCommand('runbooks', () => runRunbooks(process.argv.slice(2)));
