#!/usr/bin/env -S node --
'use strict';
// `node --`: Node 20 would take a `--env-file` anywhere on its command line as its own option.
// The runner: compiles first only when the checkout's sources are newer than the last build.
const { join } = require('node:path');
const root = join(__dirname, '..');

if (!require('./build-if-stale.js').buildIfStale(root)) {
  process.exitCode = 2;
} else {
  let mod;
  try {
    mod = require(join(root, 'dist', 'scripts', 'nodegroup-runbooks.js'));
  } catch (err) {
    if (!(err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('nodegroup-runbooks.js')))
      throw err;
  }
  if (mod) {
    require(join(root, 'dist', 'scripts', 'command.js')).runAsCommand('nodegroup-runbooks', () =>
      mod.main(process.argv.slice(2)),
    );
  } else {
    process.stderr.write('nodegroup-runbooks: the project is not built yet; run `npm run build`\n');
    process.exitCode = 2;
  }
}
