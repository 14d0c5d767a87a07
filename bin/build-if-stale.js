'use strict';
/**
 * In a checkout, compile (tsc, incremental) only when a TypeScript source or tsconfig.json is
 * newer than the last build; an installed package (no tsconfig.json) is always current. The check
 * stats the sources (~200 files, a few ms), so a run with a current build starts with no compiler.
 * NODEGROUP_RUNBOOKS_BUILD=0 skips it. Returns false when the compile failed (its errors shown).
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const SOURCES = ['src', 'scripts', 'steps', 'support', 'test', 'bench'];

function newestSource(root) {
  let newest = statSync(join(root, 'tsconfig.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

/** The stamp the last successful build left (tsc leaves its own build info untouched when nothing changed). */
const stampOf = (root) => join(root, 'dist', '.build-stamp');

function isStale(root) {
  const stamp = statSync(stampOf(root), { throwIfNoEntry: false });
  return !stamp || newestSource(root) > stamp.mtimeMs;
}

function buildIfStale(root, stderr = process.stderr) {
  if (process.env.NODEGROUP_RUNBOOKS_BUILD === '0') return true;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(join(root, 'tsconfig.json')) || !existsSync(tsc)) return true;
  if (!isStale(root)) return true;
  stderr.write('nodegroup-runbooks: sources changed since the last build; compiling (tsc, incremental)\n');
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    stderr.write(`${run.stdout}${run.stderr}nodegroup-runbooks: the build failed (above); nothing was run\n`);
    return false;
  }
  writeFileSync(stampOf(root), `${new Date().toISOString()}\n`);
  stderr.write(`nodegroup-runbooks: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

module.exports = { buildIfStale, isStale, stampOf };

// `node bin/build-if-stale.js --mark`: the last step of `npm run build`, recording that the build is current.
if (require.main === module && process.argv[2] === '--mark') {
  writeFileSync(stampOf(join(__dirname, '..')), `${new Date().toISOString()}\n`);
}
