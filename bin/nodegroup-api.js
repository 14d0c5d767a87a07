#!/usr/bin/env node
'use strict';
// The compiled CLI; `npm run build` (tsc) writes it.
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
