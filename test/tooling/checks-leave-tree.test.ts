/**
 * The test command only checks: its lint/format step and its type-check leave the work tree as
 * they found it (`git status` the same before and after), and no step of it writes (`--write`
 * belongs to `npm run format` alone).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

function status(): string {
  const run = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

describe('the test command only checks', () => {
  it('no step of pretest or test writes sources; format does', () => {
    for (const name of ['pretest', 'test', 'build'])
      assert.doesNotMatch(scripts[name]!, /--write|--fix/, name);
    assert.match(scripts['format']!, /biome check --write/);
    assert.match(scripts['pretest']!, /biome check \./);
  });

  it('git status is the same after biome check and the type-check', {
    skip: !existsSync(join(root, '.git')),
  }, () => {
    const before = status();
    const lint = spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '.'], {
      cwd: root,
      encoding: 'utf8',
    });
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    assert.equal(status(), before, `the checks changed the tree:\n${lint.stdout}${tsc.stdout}`);
    assert.equal(tsc.status, 0, tsc.stdout);
  });
});
