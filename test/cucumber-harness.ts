/**
 * Runs cucumber the way users do, in a child process from the project root: through the runbook
 * runner (`npm run runbooks`) or cucumber-js itself (a profile and formatters of the test's own).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The project root (the compiled tests run from dist/test). */
export const PROJECT_ROOT = join(__dirname, '..', '..');
const RUNBOOK_RUNNER = join(PROJECT_ROOT, 'dist/scripts/run-runbooks.js');
const CUCUMBER_BIN = join(PROJECT_ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js');

export interface FinishedRun {
  code: number | null;
  /** stdout and stderr together, in the order they came. */
  out: string;
}

/** `node <script> ...args` in the project root, run to its end; `env` is added to this process's. */
function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<FinishedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The runbook runner (dist/scripts/run-runbooks.js): cucumber's API plus the run's summary. */
export function runRunbooks(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<FinishedRun> {
  return runScript(RUNBOOK_RUNNER, args, env);
}

/** cucumber-js's own command line. */
export function runCucumber(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<FinishedRun> {
  return runScript(CUCUMBER_BIN, args, env);
}
