/**
 * Writes reports/summary.md at the end of a run (src/report/summary-md.ts). The Allure formatter
 * does the same and attaches it; this one is for runs without Allure (RUNBOOK_ALLURE=off). A run
 * without a run id (a dry run) writes nothing. An acceptance run (scenarios tagged
 * `@capability:`) gets the verdict table at the top of the summary.
 */
import { relative } from 'node:path';
import type { IFormatterOptions } from '@cucumber/cucumber';
import { type Envelope, RunCollector, type RunOutcome } from '../src/report/run-collector';
import { buildSummary, type Summary, writeSummary } from '../src/report/summary-md';
import { CapabilityCollector, renderVerdict } from '../src/runbook/acceptance';
import { RUN_ID_ENV, reportsDirIn, runsDir } from '../src/runbook/config';

/** The capabilities of the run, their evidence linked as the run's folder beside the summary. */
export function capabilityCollector(env: NodeJS.ProcessEnv = process.env): CapabilityCollector {
  const reportsDir = reportsDirIn(env);
  return new CapabilityCollector(
    `${relative(reportsDir, runsDir(reportsDir, env[RUN_ID_ENV] ?? 'unknown'))}/`,
  );
}

/** The verdict markdown of an acceptance run (every scenario names a capability); else undefined. */
export function verdictOf(
  capabilities: CapabilityCollector,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (!capabilities.isAcceptanceRun) return undefined;
  return renderVerdict(capabilities.results(), { runId: env[RUN_ID_ENV] ?? 'unknown' });
}

/** Build and write the summary of this run; undefined when there is no run id or it failed. */
export function writeRunSummary(
  run: RunOutcome,
  env: NodeJS.ProcessEnv = process.env,
  verdict?: string,
): Summary | undefined {
  const runId = env[RUN_ID_ENV];
  if (!runId) return undefined;
  const reportsDir = reportsDirIn(env);
  try {
    const summary = buildSummary({ runId, reportsDir, run, ...(verdict ? { verdict } : {}) });
    writeSummary(reportsDir, summary.text);
    return summary;
  } catch (err) {
    process.stderr.write(`summary: could not write ${reportsDir}/summary.md: ${(err as Error).message}\n`);
    return undefined;
  }
}

export default function SummaryFormatter(options: IFormatterOptions): object {
  const collector = new RunCollector();
  const capabilities = capabilityCollector();
  options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
    collector.onMessage(envelope);
    capabilities.onMessage(envelope);
    if (envelope['testRunFinished']) writeRunSummary(collector.run, process.env, verdictOf(capabilities));
  });
  return { finished: async () => {} };
}
