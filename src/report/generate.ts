/**
 * Generate the Allure HTML report of a run: the multi-file report (a folder to serve or browse)
 * and a single HTML file to attach to a ticket, both with allure-commandline.
 *
 * Safe by construction: inputs are checked first (results, Java); both reports are generated
 * into a scratch folder beside the targets, made self-contained, and only then moved into place
 * with renames, so a failed generation never replaces a good report.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { reportsDirIn } from '../runbook/config';
import { checkJava, inspectResults } from './generate-checks';
import { NOTHING_REPLACED, ReportError } from './generate-errors';
import { carryHistory } from './history';
import { makeSelfContained, NO_ANALYTICS_ENV } from './html-self-contained';

export interface ReportPaths {
  /** Allure results of the run (allure-cucumberjs output plus metadata). */
  resultsDir: string;
  /** The multi-file report; its history/ seeds the next report's trends. */
  reportDir: string;
  /** The single-file report. */
  singleFile: string;
}

/** Where `npm run report` and the main job read and write: under RUNBOOK_REPORTS_DIR, else reports/. */
export function defaultReportPaths(env: NodeJS.ProcessEnv = process.env): ReportPaths {
  const reports = reportsDirIn(env);
  return {
    resultsDir: join(reports, 'allure-results'),
    reportDir: join(reports, 'allure-report'),
    singleFile: join(reports, 'runbooks-report.html'),
  };
}

export interface GenerateOptions extends ReportPaths {
  /** Report title shown by Allure. */
  name?: string;
  /** Environment for Java and allure-commandline (tests pass one without Java). */
  env?: NodeJS.ProcessEnv;
}

export interface GeneratedReport extends ReportPaths {
  /** Number of Allure results (scenarios, counting retries) in the report. */
  results: number;
  /** History files carried over from the previous report. */
  historyCopied: number;
  /** Analytics scripts removed after generation (0 when Allure honoured ALLURE_NO_ANALYTICS). */
  analyticsRemoved: number;
  /** Wall time of the whole generation, milliseconds. */
  ms: number;
}

const ALLURE_BIN = require.resolve('allure-commandline/bin/allure');

export async function generateReport(options: GenerateOptions): Promise<GeneratedReport> {
  const started = performance.now();
  const env = { ...(options.env ?? process.env), ...NO_ANALYTICS_ENV };
  const paths: ReportPaths = {
    resultsDir: resolve(options.resultsDir),
    reportDir: resolve(options.reportDir),
    singleFile: resolve(options.singleFile),
  };
  const name = options.name ?? 'NodeGroup runbooks';
  let scratch: string | undefined;
  try {
    const { results } = inspectResults(paths.resultsDir);
    checkJava(env);
    const { copied } = carryHistory(paths.reportDir, paths.resultsDir);

    await mkdir(dirname(paths.reportDir), { recursive: true });
    await mkdir(dirname(paths.singleFile), { recursive: true });
    // Beside the report, so the final moves are renames within one file system.
    scratch = await mkdtemp(join(dirname(paths.reportDir), '.allure-report-tmp-'));
    const multi = join(scratch, 'report');
    const single = join(scratch, 'single');
    // Both at once (each is mostly JVM start-up); wait for both before the scratch folder can go.
    const runs = await Promise.allSettled([
      runAllure(['generate', paths.resultsDir, '-o', multi, '--name', name], env),
      runAllure(['generate', '--single-file', paths.resultsDir, '-o', single, '--name', name], env),
    ]);
    for (const run of runs) if (run.status === 'rejected') throw run.reason;
    const analyticsRemoved = (await makeSelfContained(multi)) + (await makeSelfContained(single));

    await swapDirectory(multi, paths.reportDir, join(scratch, 'previous'));
    await rename(join(single, 'index.html'), paths.singleFile);
    return { ...paths, results, historyCopied: copied, analyticsRemoved, ms: performance.now() - started };
  } catch (err) {
    if (err instanceof ReportError) throw new ReportError(err.kind, `${err.message} (${NOTHING_REPLACED})`);
    throw err;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** Run allure-commandline; on failure, a ReportError with the end of what it printed. */
function runAllure(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [ALLURE_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const tail = output.trim().split('\n').slice(-8).join('\n  ');
      reject(
        new ReportError(
          'allure-failed',
          `allure ${args[0]}${args.includes('--single-file') ? ' --single-file' : ''} failed ` +
            `(exit ${code ?? signal}):\n  ${tail || '(no output)'}\n` +
            'Check the Java installation (JAVA_HOME, JAVA_OPTS, ALLURE_OPTS) and that the results folder is readable',
        ),
      );
    });
  });
}

/**
 * Put `fresh` where `target` is. Two renames: the old report moves aside, the new one moves in
 * (moved back if the second rename fails). No reader ever sees a half-written report.
 */
async function swapDirectory(fresh: string, target: string, aside: string): Promise<void> {
  let hadPrevious = false;
  try {
    await rename(target, aside);
    hadPrevious = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await rename(fresh, target);
  } catch (err) {
    if (hadPrevious) await rename(aside, target);
    throw err;
  }
}
