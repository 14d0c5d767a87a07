/**
 * The main job (`npm start`): every runbook against the embedded sandbox (the default profile of
 * cucumber.js), with cucumber's HTML and JUnit XML for CI systems, then the Allure report, ending
 * with where the report is. Extra arguments go to cucumber-js (`npm start -- --parallel 2`).
 * Exit code 0 only when every runbook passed, cleanup restored the sandbox and the report was made.
 */
import { join } from 'node:path';
import { EnvironmentError } from '../src/environment/errors';
import { checkTools } from '../src/environment/tools';
import { defaultReportPaths, generateReport } from '../src/report/generate';
import { ReportError } from '../src/report/generate-errors';
import { reportsDirIn } from '../src/runbook/config';
import { runAsCommand } from './command';
import { describeReport } from './report';
import { runRunbooks } from './run-runbooks';

type Output = { write(text: string): unknown };

/** cucumber's own outputs, for CI systems that read JUnit XML or keep cucumber's HTML page. */
export function cucumberOutputs(env: NodeJS.ProcessEnv = process.env): { html: string; junit: string } {
  const reports = reportsDirIn(env);
  return { html: join(reports, 'cucumber-report.html'), junit: join(reports, 'cucumber-junit.xml') };
}

export async function mainJob(argv: string[], out: Output = process.stdout): Promise<number> {
  // The report runs on Java: found missing now, not after the whole run (src/environment/tools).
  try {
    checkTools({ java: true });
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    out.write(`npm start: ${err.message} (nothing was run)\n`);
    return err.exitCode;
  }
  const outputs = cucumberOutputs();
  const formats = ['--format', `html:${outputs.html}`, '--format', `junit:${outputs.junit}`];
  const code = await runRunbooks([...formats, ...argv], out);
  // 2: the run parameters were refused and nothing ran, so there is no new run to report on.
  if (code === 2) return code;
  try {
    const report = await generateReport(defaultReportPaths());
    out.write(`\ncucumber: ${outputs.html}, ${outputs.junit}\n${describeReport(report)}`);
    return code;
  } catch (err) {
    // A run that stopped before any scenario (its reason printed above) leaves nothing to report.
    const message =
      err instanceof ReportError && err.kind === 'no-results' && code !== 0
        ? 'not generated: the run produced no results (see above)'
        : err instanceof ReportError
          ? err.message
          : (err as Error).stack;
    out.write(`\nreport: ${message}\n`);
    return code || 1;
  }
}

if (require.main === module) runAsCommand('main job', () => mainJob(process.argv.slice(2)));
