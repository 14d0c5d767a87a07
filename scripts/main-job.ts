/**
 * The main job (`npm start`): every runbook against the embedded sandbox (the default profile of
 * cucumber.js), then a summary. Extra arguments go to cucumber-js (`npm start -- --parallel 2`).
 * Exit code 0 only when every runbook passed and cleanup restored the sandbox.
 */
import { runRunbooks } from './run-runbooks';

runRunbooks(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`main job: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
