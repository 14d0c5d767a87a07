/**
 * The Allure formatter of cucumber.js: allure-cucumberjs's own, configured through its reporter
 * options (which it hands on to allure-js-commons' ReporterRuntime): results written by
 * ResultsWriter (same files, no fsync per file, written off the main thread: see
 * src/report/results-writer.ts), and lifecycle listeners that
 *  - give each result its place in the Suites tree (features/<folder> -> feature);
 *  - set every step's and scenario's status from cucumber's own result (src/report/outcome.ts):
 *    allure-cucumberjs alone shows a scenario with an undefined step as passed and a pending one
 *    as skipped; here they are broken, with a `[CODE] ` message the categories match; a failure
 *    is failed (red) when it is a product defect, broken otherwise; a failed hook fails its
 *    scenario as it does in cucumber.
 * At the end of the run it writes reports/summary.md and attaches it to every result (a run-level
 * tear-down fixture, so it counts in no total). Cucumber calls it with `new` and awaits its
 * `finished()` before exiting, which waits for the last file.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IFormatterOptions } from '@cucumber/cucumber';
import type { StepResult, TestResult } from 'allure-js-commons';
import { type Outcome, worstOutcome } from '../src/report/outcome';
import { ResultsWriter } from '../src/report/results-writer';
import { type Envelope, FINDINGS_MEDIA_TYPE, RunCollector } from '../src/report/run-collector';
import { suiteLabels } from '../src/report/scenario-parameters';
import { capabilityCollector, verdictOf, writeRunSummary } from './summary-formatter';

type AllureReporter = new (options: IFormatterOptions) => { finished(): Promise<void> };

/** Status and details of an Allure step or result from cucumber's outcome. */
function apply(target: StepResult | TestResult, outcome: Outcome): void {
  target.status = outcome.allureStatus as StepResult['status'];
  target.stage = 'finished' as StepResult['stage'];
  if (outcome.allureStatus === 'passed' || outcome.allureStatus === 'skipped') return;
  target.statusDetails = {
    ...(outcome.message !== undefined ? { message: outcome.message } : {}),
    ...(outcome.trace !== undefined ? { trace: outcome.trace } : {}),
  };
}

export default function AllureFormatter(options: IFormatterOptions): object {
  const Reporter = require('allure-cucumberjs/reporter') as AllureReporter;
  const argv = options.parsedArgvOptions as { resultsDir?: string };
  const resultsDir = argv.resultsDir ?? 'allure-results';
  const writer = new ResultsWriter(resultsDir);
  const collector = new RunCollector();
  const written: string[] = [];
  // Set while allure-cucumberjs handles the envelope that finishes a step or a scenario: its
  // listeners run synchronously inside that handling.
  let step: Outcome | undefined;
  let scenario: Outcome | undefined;
  const relay = new EventEmitter();
  const reporter = new Reporter({
    ...options,
    eventBroadcaster: relay,
    parsedArgvOptions: {
      ...argv,
      resultsDir,
      writer,
      listeners: [
        {
          afterTestResultStart: (result: TestResult) => {
            result.labels.push(...suiteLabels(result));
          },
          beforeStepStop: (result: StepResult) => {
            if (step) apply(result, step);
          },
          beforeTestResultWrite: (result: TestResult) => {
            if (scenario) apply(result, scenario);
            written.push(result.uuid);
          },
        },
      ],
    },
  });
  const capabilities = capabilityCollector();
  options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
    collector.onMessage(envelope);
    capabilities.onMessage(envelope);
    // The findings are for the console and the summary; the report shows the diagnosis itself.
    if (envelope['attachment']?.mediaType === FINDINGS_MEDIA_TYPE) return;
    const finished = envelope['testStepFinished'] ?? envelope['testCaseFinished'];
    const outcomes = finished ? collector.outcomesOf(finished.testCaseStartedId) : [];
    step = envelope['testStepFinished'] ? outcomes[outcomes.length - 1] : undefined;
    scenario = envelope['testCaseFinished'] ? worstOutcome(outcomes) : undefined;
    try {
      relay.emit('envelope', envelope);
    } finally {
      step = scenario = undefined;
    }
    if (envelope['testRunFinished']) attachSummary(writer, collector, written, verdictOf(capabilities));
  });
  const finished = reporter.finished.bind(reporter);
  reporter.finished = async () => {
    try {
      await writer.flush();
    } finally {
      await finished();
    }
  };
  return reporter;
}

/** summary.md to disk, and into the results as the tear-down of every scenario. */
function attachSummary(
  writer: ResultsWriter,
  collector: RunCollector,
  children: string[],
  verdict: string | undefined,
): void {
  const summary = writeRunSummary(collector.run, process.env, verdict);
  if (!summary || !children.length) return;
  const source = `${randomUUID()}-attachment.md`;
  writer.writeAttachment(source, Buffer.from(summary.text, 'utf8'));
  const now = Date.now();
  const group: { uuid: string } & Record<string, unknown> = {
    uuid: randomUUID(),
    name: 'the run',
    children,
    befores: [],
    afters: [
      {
        name: 'change summary of the run (summary.md)',
        status: 'passed',
        stage: 'finished',
        steps: [],
        parameters: [],
        attachments: [{ name: 'summary.md', source, type: 'text/markdown' }],
        start: now,
        stop: now,
      },
    ],
  };
  writer.writeGroup(group);
}
