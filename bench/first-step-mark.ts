/**
 * Support code the startup benchmark adds with --require: the wall clock (ms since the epoch) at
 * the first step, written once to FIRST_STEP_MARK.
 */
import { writeFileSync } from 'node:fs';
import { BeforeStep } from '@cucumber/cucumber';

let marked = false;
BeforeStep(() => {
  const file = process.env['FIRST_STEP_MARK'];
  if (marked || !file) return;
  marked = true;
  writeFileSync(file, String(Date.now()));
});
