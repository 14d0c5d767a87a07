/**
 * Trends across runs: Allure keeps them in the `history/` folder of a generated report, and reads
 * them back from `history/` in the results it generates from. Copying one into the other before
 * generating is how each report carries the history of the ones before it.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Copy `<previousReportDir>/history/*.json` into `<resultsDir>/history/`, replacing what was there.
 * No previous report (first run) copies nothing. The results folder must exist.
 */
export function carryHistory(previousReportDir: string, resultsDir: string): { copied: number } {
  if (!existsSync(resultsDir) || !statSync(resultsDir).isDirectory())
    throw new Error(
      `cannot carry the report history: the results folder ${resultsDir} does not exist; run the runbooks first`,
    );
  const from = join(previousReportDir, 'history');
  if (!existsSync(from) || !statSync(from).isDirectory()) return { copied: 0 };
  const files = readdirSync(from).filter((f) => f.endsWith('.json') && statSync(join(from, f)).isFile());
  const to = join(resultsDir, 'history');
  // A history left in the results by an earlier generation would be counted twice: start clean.
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const file of files) copyFileSync(join(from, file), join(to, file));
  return { copied: files.length };
}
