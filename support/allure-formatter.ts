/**
 * The Allure formatter of cucumber.js: allure-cucumberjs's own, configured through its reporter
 * options (which it hands on to allure-js-commons' ReporterRuntime): results written by
 * ResultsWriter (same files, no fsync per file, written off the main thread: see
 * src/report/results-writer.ts), and a lifecycle listener giving each result its place in the
 * Suites tree (features/<folder> -> feature). Cucumber calls it with `new` and awaits its
 * `finished()` before exiting, which waits for the last file. allure-cucumberjs is loaded only
 * then, in the process that formats, not with the support code.
 */
import type { IFormatterOptions } from '@cucumber/cucumber';
import type { TestResult } from 'allure-js-commons';
import { ResultsWriter } from '../src/report/results-writer';
import { suiteLabels } from '../src/report/scenario-parameters';

type AllureReporter = new (options: IFormatterOptions) => { finished(): Promise<void> };

export default function AllureFormatter(options: IFormatterOptions): object {
  const Reporter = require('allure-cucumberjs/reporter') as AllureReporter;
  const argv = options.parsedArgvOptions as { resultsDir?: string };
  const resultsDir = argv.resultsDir ?? 'allure-results';
  const writer = new ResultsWriter(resultsDir);
  const reporter = new Reporter({
    ...options,
    parsedArgvOptions: {
      ...argv,
      resultsDir,
      writer,
      listeners: [
        {
          afterTestResultStart: (result: TestResult) => {
            result.labels.push(...suiteLabels(result));
          },
        },
      ],
    },
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
