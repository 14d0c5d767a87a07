/**
 * The runner's bin: its commands, --version, help with examples, plan/apply without an environment, for the
 * commands issue 11 will bring, a mistyped command answered with the closest, and the freshness
 * check that keeps the compiler out of a run when the build is current.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { COMMANDS, main, runnerOptions } from '../../scripts/nodegroup-runbooks';

const root = join(__dirname, '..', '..', '..');
const { isStale, stampOf } = require(join(root, 'bin', 'build-if-stale.js')) as {
  isStale(root: string): boolean;
  stampOf(root: string): string;
};

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    { write: (t: string) => (stdout += t) },
    { write: (t: string) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

describe('nodegroup-runbooks', () => {
  it('has the seven commands, each with examples in its help', async () => {
    assert.deepEqual(Object.keys(COMMANDS), ['run', 'plan', 'apply', 'revert', 'report', 'steps', 'twin']);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
    for (const name of Object.keys(COMMANDS)) {
      const one = await run([name, '--help']);
      assert.equal(one.code, 0, name);
      assert.match(one.stdout, new RegExp(`^usage: nodegroup-runbooks ${name}`), name);
      assert.match(one.stdout, new RegExp(`\\nExamples:\\n {2}nodegroup-runbooks ${name}`), name);
    }
  });

  it('--version is the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await run(['--version'])).stdout, `${pkg.version}\n`);
  });

  it('plan and apply without --env name the live environment they need, exit 36', async () => {
    for (const name of ['plan', 'apply']) {
      const r = await run([name]);
      assert.equal(r.code, 36, name);
      assert.match(
        r.stdout,
        new RegExp(`^${name}: ${name} runs against a live environment: pass --env NAME`),
      );
    }
  });

  it('twin without --out or --drift is a usage error naming both, exit 2', async () => {
    const r = await run(['twin']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out/);
    assert.match(r.stderr, /--drift/);
  });

  it('a mistyped command names the closest and the commands, exit 2', async () => {
    const r = await run(['revrt']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'revrt'\n\(Did you mean revert\?\)\ncommands: run, plan,/);
    assert.doesNotMatch((await run(['zzzzzzzz'])).stderr, /Did you mean/);
    assert.match((await run(['steps', '--mardown'])).stderr, /unknown argument --mardown\nusage: /);
  });

  it('the runner takes its own options out; the rest goes to cucumber-js in order', () => {
    assert.deepEqual(runnerOptions(['-p', 'smoke', '--report', 'features/x.feature']), {
      report: true,
      rest: ['-p', 'smoke', 'features/x.feature'],
    });
  });

  describe('freshness check', () => {
    const fake = mkdtempSync(join(tmpdir(), 'freshness-'));
    after(() => rmSync(fake, { recursive: true, force: true }));

    it('stale without a stamp or with a newer source, current otherwise', () => {
      mkdirSync(join(fake, 'src', 'deep'), { recursive: true });
      mkdirSync(join(fake, 'dist'));
      writeFileSync(join(fake, 'tsconfig.json'), '{}');
      writeFileSync(join(fake, 'src', 'deep', 'a.ts'), 'export {};\n');
      assert.equal(isStale(fake), true, 'never built');
      writeFileSync(stampOf(fake), 'built\n');
      const past = new Date(Date.now() - 60_000);
      for (const f of ['tsconfig.json', 'src/deep/a.ts']) utimesSync(join(fake, f), past, past);
      assert.equal(isStale(fake), false, 'built after the last change');
      utimesSync(join(fake, 'src', 'deep', 'a.ts'), new Date(), new Date(Date.now() + 1000));
      assert.equal(isStale(fake), true, 'a source changed since');
    });

    it('the checkout, just built, runs the bin with no compile', () => {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'nodegroup-runbooks.js'), '--version'], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(isStale(root), false, 'npm test builds first (pretest), so the build is current');
      assert.doesNotMatch(r.stderr, /compiling/);
    });
  });
});
