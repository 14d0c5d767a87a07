/**
 * Writes reports/summary.md at the end of a run (src/report/summary-md.ts). The Allure formatter
 * does the same and attaches it; this one is for runs without Allure (RUNBOOK_ALLURE=off). A run
 * without a run id (a dry run) writes nothing.
 */
import type { IFormatterOptions } from '@cucumber/cucumber';
import { type Envelope, RunCollector, type RunOutcome } from '../src/report/run-collector';
import { buildSummary, type Summary, writeSummary } from '../src/report/summary-md';
import { RUN_ID_ENV, reportsDirIn } from '../src/runbook/config';

/** Build and write the summary of this run; undefined when there is no run id or it failed. */
export function writeRunSummary(run: RunOutcome, env: NodeJS.ProcessEnv = process.env): Summary | undefined {
  const runId = env[RUN_ID_ENV];
  if (!runId) return undefined;
  const reportsDir = reportsDirIn(env);
  try {
    const summary = buildSummary({ runId, reportsDir, run });
    writeSummary(reportsDir, summary.text);
    return summary;
  } catch (err) {
    process.stderr.write(`summary: could not write ${reportsDir}/summary.md: ${(err as Error).message}\n`);
    return undefined;
  }
}

export default function SummaryFormatter(options: IFormatterOptions): object {
  const collector = new RunCollector();
  options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
    collector.onMessage(envelope);
    if (envelope['testRunFinished']) writeRunSummary(collector.run);
  });
  return { finished: async () => {} };
}
