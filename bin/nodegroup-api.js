#!/usr/bin/env node
'use strict';
// The compiled CLI; `npm run build` (tsc, then scripts/bundle-cli.ts) writes it.
// V8 compiles undici's llhttp WebAssembly again in the background (tier-up) and Node waits for
// that at exit: ~70 ms of a one-request command. Baseline (Liftoff) code parses a few small
// responses just as well, so a one-shot CLI skips the tier-up. Must precede the first request.
require('node:v8').setFlagsFromString('--liftoff-only');
const { main } = require(entry());

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err?.message ? err.message : err}\n`);
    process.exitCode = 1;
  },
);

/**
 * The one-file bundle of the CLI (~17 ms faster to start) when it was built after the last
 * compile, else the compiled files: a `tsc` run alone leaves the bundle stale.
 * NODEGROUP_API_BUNDLE=0 always takes the compiled files.
 */
function entry() {
  const dist = `${__dirname}/../dist`;
  if (process.env.NODEGROUP_API_BUNDLE !== '0') {
    const { statSync } = require('node:fs');
    const bundle = statSync(`${dist}/src/cli/nodegroup-api.bundle.js`, { throwIfNoEntry: false });
    const compiled = statSync(`${dist}/.tsbuildinfo`, { throwIfNoEntry: false });
    if (bundle && compiled && bundle.mtimeMs >= compiled.mtimeMs)
      return `${dist}/src/cli/nodegroup-api.bundle.js`;
  }
  return `${dist}/src/cli/main.js`;
}
