/**
 * The acceptance verdict as a cucumber formatter (profile `acceptance`): it collects the
 * capability of each scenario from the message stream and, when the run ends, writes the verdict
 * markdown to its output (`<reports>/acceptance.md` in the profile) and prints it; the summary
 * (reports/summary.md) opens with the same table (support/summary-formatter.ts). The exit code
 * is cucumber's (1 when a scenario or hook failed), and 1 too when the verdict is NOT ACCEPTED for
 * want of any capability run.
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import { isAccepted, renderVerdict } from '../src/runbook/acceptance';
import { RUN_ID_ENV } from '../src/runbook/config';
import { capabilityCollector } from './summary-formatter';

export default class AcceptanceFormatter extends Formatter {
  constructor(options: IFormatterOptions) {
    super(options);
    // Formatters do not see the world parameters: the folders come from the environment, as
    // cucumber.js derives them (the verdict file sits in the reports folder, beside runs/).
    const runId = process.env[RUN_ID_ENV] ?? 'unknown';
    const collector = capabilityCollector();
    options.eventBroadcaster.on('envelope', (envelope: Record<string, unknown>) => {
      collector.onMessage(envelope);
      if (envelope['testRunFinished']) {
        const results = collector.results();
        const markdown = renderVerdict(results, { runId });
        this.log(markdown);
        process.stdout.write(`\n${markdown}`);
        // Cucumber exits 0 when every capability that ran was skipped (or none was selected);
        // the verdict is NOT ACCEPTED then, and so is the exit code (set last, at exit).
        if (!isAccepted(results))
          process.once('exit', () => {
            process.exitCode = 1;
          });
      }
    });
  }
}
