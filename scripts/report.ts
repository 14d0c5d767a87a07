/**
 * `npm run report [-- --results DIR --report DIR --single-file FILE --name TITLE]`: generate the
 * Allure HTML report of the last run (defaults under RUNBOOK_REPORTS_DIR, else reports/) and print
 * where it is. Exit 0 when generated; 1 when it could not be (the message says why; nothing
 * replaced); 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { defaultReportPaths, type GeneratedReport, generateReport } from '../src/report/generate';
import { ReportError } from '../src/report/generate-errors';
import { MergeError, mergeShards } from '../src/report/shards';
import { reportsDirIn } from '../src/runbook/config';
import { runAsCommand } from './command';

type Output = { write(text: string): unknown };

export function describeReport(report: GeneratedReport): string {
  return (
    `report: ${report.reportDir}/index.html (${report.results} results, generated in ${(report.ms / 1000).toFixed(1)} s)\n` +
    `single file: ${report.singleFile}\n`
  );
}

export async function main(argv: string[], out: Output = process.stdout, err: Output = process.stderr) {
  const defaults = defaultReportPaths();
  let values: { results?: string; report?: string; 'single-file'?: string; name?: string; merge?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        merge: { type: 'boolean' },
        results: { type: 'string' },
        report: { type: 'string' },
        'single-file': { type: 'string' },
        name: { type: 'string' },
      },
    }));
  } catch (e) {
    err.write(
      `report: ${(e as Error).message}\nusage: npm run report -- [--results DIR] [--report DIR] [--single-file FILE] [--name TITLE] [--merge DIR...]\n`,
    );
    return 2;
  }
  if (!values.merge && positionals.length > 0) {
    err.write(`report: unexpected argument ${positionals[0]} (folders are given with --merge DIR...)\n`);
    return 2;
  }
  if (values.merge) {
    const into = reportsDirIn(process.env);
    try {
      const merged = mergeShards(positionals, into);
      out.write(
        `merged ${positionals.length} shards of run ${merged.runId}: ${merged.results} results into ${into}\n`,
      );
    } catch (e) {
      if (!(e instanceof MergeError)) throw e;
      err.write(`report --merge: ${e.message} (nothing was merged)\n`);
      return 2;
    }
  }
  try {
    const report = await generateReport({
      resultsDir: values.results ?? defaults.resultsDir,
      reportDir: values.report ?? defaults.reportDir,
      singleFile: values['single-file'] ?? defaults.singleFile,
      ...(values.name ? { name: values.name } : {}),
    });
    out.write(describeReport(report));
    return 0;
  } catch (e) {
    err.write(`report: ${e instanceof ReportError ? e.message : (e as Error).stack}\n`);
    return 1;
  }
}

if (require.main === module) runAsCommand('report', () => main(process.argv.slice(2)));
