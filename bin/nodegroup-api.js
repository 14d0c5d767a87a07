#!/usr/bin/env node
'use strict';
// The compiled CLI; `npm run build` (tsc) writes it.
// V8 compiles undici's llhttp WebAssembly again in the background (tier-up) and Node waits for
// that at exit: ~70 ms of a one-request command. Baseline (Liftoff) code parses a few small
// responses just as well, so a one-shot CLI skips the tier-up. Must precede the first request.
require('node:v8').setFlagsFromString('--liftoff-only');
const { main } = require('../dist/src/cli/main.js');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`error: ${err?.message ? err.message : err}\n`);
    process.exitCode = 1;
  },
);
