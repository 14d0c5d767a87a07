/**
 * The Allure formatter of cucumber.js: allure-cucumberjs's own, writing through ResultsWriter
 * (same files, no fsync per file: see src/report/results-writer.ts). Cucumber calls it with `new`;
 * allure-cucumberjs is loaded only then, in the process that formats, not with the support code.
 */
import type { IFormatterOptions } from '@cucumber/cucumber';
import { ResultsWriter } from '../src/report/results-writer';

type AllureReporter = new (options: IFormatterOptions) => object;

export default function AllureFormatter(options: IFormatterOptions): object {
  const Reporter = require('allure-cucumberjs/reporter') as AllureReporter;
  const formatter = new Reporter(options);
  const resultsDir = (options.parsedArgvOptions as { resultsDir?: string }).resultsDir ?? 'allure-results';
  // The runtime keeps its writer in a field; the formatter offers no option to choose another.
  (formatter as { allureRuntime?: { writer: unknown } }).allureRuntime!.writer = new ResultsWriter(
    resultsDir,
  );
  return formatter;
}
