/**
 * The acceptance verdict as a cucumber formatter (profile `acceptance`): it collects the
 * capability of each scenario from the message stream and, when the run ends, writes the verdict
 * markdown to its output (`<reports>/acceptance.md` in the profile) and prints it. The exit code
 * is cucumber's own: 0 only when no scenario and no hook failed, which is when the verdict says
 * ACCEPTED.
 */
import { relative } from 'node:path';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import { CapabilityCollector, renderVerdict } from '../src/runbook/acceptance';
import { RUN_ID_ENV, reportsDirIn, runsDir } from '../src/runbook/config';

export default class AcceptanceFormatter extends Formatter {
  constructor(options: IFormatterOptions) {
    super(options);
    // Formatters do not see the world parameters: the folders come from the environment, as
    // cucumber.js derives them (the verdict file sits in the reports folder, beside runs/).
    const runId = process.env[RUN_ID_ENV] ?? 'unknown';
    const reportsDir = reportsDirIn(process.env);
    const evidence = `${relative(reportsDir, runsDir(reportsDir, runId))}/`;
    const collector = new CapabilityCollector(evidence);
    options.eventBroadcaster.on('envelope', (envelope: Record<string, unknown>) => {
      collector.onMessage(envelope);
      if (envelope['testRunFinished']) {
        const markdown = renderVerdict(collector.results(), { runId });
        this.log(markdown);
        process.stdout.write(`\n${markdown}`);
      }
    });
  }
}
