#!/usr/bin/env -S node --
'use strict';
// `node --`: Node 20 reads a `--env-file` anywhere on its command line as its own option.
// Thin shim: the TypeScript is compiled to dist/ by `npm install` (prepare) or `npm run build`.
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'scripts', 'nodegroup-sandbox.js');

function load() {
  try {
    return require(entry);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) return undefined;
    throw err;
  }
}

const mod = load();
if (mod) {
  require(path.join(__dirname, '..', 'dist', 'scripts', 'command.js')).runAsCommand('nodegroup-sandbox', () =>
    mod.main(process.argv),
  );
} else {
  process.stderr.write(
    'nodegroup-sandbox: the project is not built yet; run `npm run build` (npm install does it too)\n',
  );
  process.exitCode = 2;
}
