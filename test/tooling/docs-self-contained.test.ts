/**
 * Self-contained docs: nothing a clone reads (README, docs/, comments in the sources) points at a
 * path outside the repository (a sibling folder, the workplace's shared files, an absolute path).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const OUTSIDE = [
  /\.\.\/shared\//,
  /\bshared\/(seed|SANDBOX\.md|ARCHITECTURE\.md)/,
  /\/work\/(main|wt|shared)\b/,
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return ['node_modules', 'dist', 'reports', '.git'].includes(e.name) ? [] : files(path);
    return /\.(md|ts|js|feature|yaml|json)$/.test(e.name) || e.name === 'Dockerfile' ? [path] : [];
  });
}

describe('docs are self-contained', () => {
  it('no file of the repository points outside it', () => {
    const self = relative(root, __filename)
      .replace(/^dist\//, '')
      .replace(/\.js$/, '.ts');
    const found: string[] = [];
    for (const file of files(root)) {
      const name = relative(root, file);
      if (name === self || name === 'package-lock.json') continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE.some((pattern) => pattern.test(line))) found.push(`${name}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(found, [], 'references outside the repository');
  });
});
