/**
 * What a user gets with no checkout: `npm pack`, then `npm install -g ./the.tgz` into a fresh
 * prefix, then the three bins run from an empty folder: nodegroup-sandbox writes its env file
 * (--env-out, with the viewer's login), nodegroup-api talks to it as admin and as the viewer,
 * and nodegroup-runbooks lists its steps and runs the smoke runbooks against its own sandbox.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** `export K='v'` lines back into a record. */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^export ([A-Z_]+)='((?:[^']|'\\'')*)'$/gm))
    env[m[1]!] = m[2]!.replaceAll("'\\''", "'");
  return env;
}

/** The first line of a child's stdout matching `pattern`, or its output so far when it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, deadlineMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${deadlineMs} ms: ${seen}`)),
      deadlineMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ${pattern}: ${seen}`));
    });
  });
}

describe('npm pack + npm install -g: the three bins with no checkout', { timeout: 600_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'global-install-'));
  const prefix = join(scratch, 'prefix');
  const work = join(scratch, 'work');
  const home = join(scratch, 'home');
  let env: NodeJS.ProcessEnv;
  const bin = (name: string) => join(prefix, 'bin', name);
  const sh = (name: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(bin(name), args, { cwd: work, encoding: 'utf8', env: { ...env, ...extra }, timeout: 120_000 });
  let sandbox: ChildProcess | undefined;

  before(() => {
    mkdirSync(work, { recursive: true });
    mkdirSync(home, { recursive: true });
    // PATH without the checkout's node_modules/.bin (npm test puts it first): only the prefix's bins.
    const path = (process.env['PATH'] ?? '')
      .split(':')
      .filter((p) => !p.includes('node_modules'))
      .join(':');
    env = { ...process.env, PATH: `${join(prefix, 'bin')}:${path}`, HOME: home };
    for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
    // The build is current (npm test builds first): pack what is built.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    assert.equal(pack.status, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string }[];
    const install = spawnSync(
      'npm',
      ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(scratch, packed!.filename)],
      { cwd: work, encoding: 'utf8', env },
    );
    assert.equal(install.status, 0, install.stderr);
  });
  after(() => {
    sandbox?.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('every bin answers --version with the package version', () => {
    for (const name of ['nodegroup-runbooks', 'nodegroup-api']) {
      const run = sh(name, ['--version']);
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.equal(run.stdout.trim(), pkg.version, name);
    }
    const help = sh('nodegroup-sandbox', ['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--env-out <path>/);
  });

  it('nodegroup-sandbox --env-out writes both logins; nodegroup-api uses them', async () => {
    const envFile = join(work, 'sandbox', 'env');
    sandbox = spawn(bin('nodegroup-sandbox'), ['--env-out', envFile, '--viewer-password', 'view-Me-1'], {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await waitForLine(sandbox, /^sandbox ready at /);
    const sandboxEnv = parseEnvFile(readFileSync(envFile, 'utf8'));
    assert.equal(sandboxEnv['KUBESPHERE_VIEWER_USERNAME'], 'viewer');
    assert.equal(sandboxEnv['KUBESPHERE_VIEWER_PASSWORD'], 'view-Me-1');
    const list = sh('nodegroup-api', ['nodegroup', 'list', '-o', 'name'], sandboxEnv);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^nodegroup\.infra\.kubesphere\.io\/edge-a$/m);
    const viewer = {
      ...sandboxEnv,
      KUBESPHERE_USERNAME: sandboxEnv['KUBESPHERE_VIEWER_USERNAME'],
      KUBESPHERE_PASSWORD: sandboxEnv['KUBESPHERE_VIEWER_PASSWORD'],
      HOME: mkdtempSync(join(scratch, 'viewer-home-')),
    };
    const read = sh('nodegroup-api', ['nodegroup', 'get', 'edge-a', '-o', 'name'], viewer);
    assert.equal(read.status, 0, read.stderr);
    const write = sh('nodegroup-api', ['nodegroup', 'patch', 'edge-a', '--alias', 'X'], viewer);
    assert.equal(write.status, 1, `the viewer may only read: ${write.stdout}${write.stderr}`);
  });

  it('nodegroup-runbooks lists its steps and runs the smoke runbooks from an empty folder', () => {
    const steps = sh('nodegroup-runbooks', ['steps']);
    assert.equal(steps.status, 0, steps.stderr);
    assert.match(steps.stdout, /^binding:\n {2}\{kind\} \{string\}/m);
    const run = sh('nodegroup-runbooks', ['run', '-p', 'smoke'], { RUNBOOK_ALLURE: 'off' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /runbooks: PASSED/);
    assert.doesNotMatch(run.stderr, /compiling/, 'an installed runner never compiles');
  });
});
