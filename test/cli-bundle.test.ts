/**
 * The one-file bundle of `nodegroup-api` (scripts/bundle-cli.ts): it answers like the compiled CLI,
 * it defers what a request never uses, and the bin takes it only while it is up to date.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundle, bundleCli, CLI_DEFERRALS, CLI_ENTRY, CLI_LAZY } from '../scripts/bundle-cli';
import { runCli, sendJson, startServer, tempHome } from './cli-helpers';

const ROOT = join(__dirname, '..', '..');
const GROUPS = {
  items: [
    {
      apiVersion: 'infra.kubesphere.io/v1alpha1',
      kind: 'NodeGroup',
      metadata: { name: 'edge-a', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { alias: 'Edge site A', manager: 'admin' },
    },
  ],
  totalItems: 1,
};

describe('the CLI bundle', () => {
  // Beside the real bundle, so the specifiers it leaves outside resolve as they do from there.
  const file = join(ROOT, 'dist', 'src', 'cli', `nodegroup-api.test-${process.pid}.bundle.js`);
  const home = tempHome();
  let server: Awaited<ReturnType<typeof startServer>>;
  let env: Record<string, string>;

  before(async () => {
    await bundleCli(file);
    server = await startServer((req, res) =>
      req.url.startsWith('/api/v1/nodes') ? sendJson(res, 200, { items: [] }) : sendJson(res, 200, GROUPS),
    );
    env = { HOME: home.home, KUBESPHERE_HOST: server.url, KUBESPHERE_TOKEN: 'tok' };
  });
  after(async () => {
    await server.close();
    home.cleanup();
    rmSync(file, { force: true });
  });

  /**
   * Run the bundle's main() in a fresh process; also report which built-in modules it loaded.
   * Asynchronous: the server answering it runs in this process.
   */
  async function runBundle(args: string[]) {
    const script = `
      const { main } = require(${JSON.stringify(file)});
      main(['node', 'nodegroup-api', ...${JSON.stringify(args)}]).then((code) => {
        process.exitCode = code;
        process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList)));
      });`;
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['-e', script], { encoding: 'utf8', env }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });
    const [stderr, loaded] = run.stderr.split('\nLOADED ');
    return { code: run.code, stdout: run.stdout, stderr, loaded: JSON.parse(loaded ?? '[]') as string[] };
  }

  for (const args of [
    ['nodegroup', 'list'],
    ['nodegroup', 'list', '-o', 'yaml'],
    ['nodegroup', 'get', 'Bad_Name'],
    ['--help'],
  ]) {
    it(`answers \`${args.join(' ')}\` exactly as the compiled CLI does`, async () => {
      const compiled = await runCli(args, env);
      const bundled = await runBundle(args);
      assert.deepEqual(
        { code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr },
        { code: compiled.code, stdout: compiled.stdout, stderr: compiled.stderr },
      );
    });
  }

  it('sends a request without loading node:http2, node:tls or node:child_process', async () => {
    const run = await runBundle(['nodegroup', 'list']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"edge-a"/);
    assert.ok(run.loaded.includes('NativeModule http'), 'the list says what was loaded');
    for (const deferred of ['http2', 'tls', 'child_process']) {
      assert.ok(!run.loaded.includes(`NativeModule ${deferred}`), `${deferred} was loaded`);
    }
  });

  it('refuses a package that is not expected in it, naming it and what to do', async () => {
    await assert.rejects(
      bundle({
        entry: CLI_ENTRY,
        outFile: join(tmpdir(), `never-written-${process.pid}.js`),
        deferrals: CLI_DEFERRALS,
        lazy: CLI_LAZY,
        packages: ['commander'],
      }),
      /the CLI bundle took in undici \(.*node_modules\/undici\/.*\): require it inside the function that needs it/,
    );
  });
});

describe('deferModules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defer-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a deferred module on its first use, then answers as the module itself', async () => {
    writeFileSync(
      join(dir, 'heavy.js'),
      'globalThis.heavyLoads = (globalThis.heavyLoads ?? 0) + 1;\n' +
        'module.exports = function twice(x) { return 2 * x; };\nmodule.exports.unit = "heavy";\n',
    );
    writeFileSync(
      join(dir, 'entry.js'),
      "const twice = require('./heavy.js');\nconst os = require('node:os');\n" +
        'const atLoad = globalThis.heavyLoads ?? 0;\n' +
        'exports.run = () => ({ atLoad, result: twice(21), unit: twice.unit, loads: globalThis.heavyLoads, eol: os.EOL });\n',
    );
    const out = join(dir, 'bundle.js');
    await bundle({
      entry: join(dir, 'entry.js'),
      outFile: out,
      deferrals: [
        { module: './heavy.js', importer: /entry\.js$/, why: 'test' },
        { module: 'node:os', importer: /entry\.js$/, why: 'test' },
      ],
    });
    const script = `const r = require(${JSON.stringify(out)}).run(); process.stdout.write(JSON.stringify(r));`;
    const answer = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    assert.deepEqual(answer, { atLoad: 0, result: 42, unit: 'heavy', loads: 1, eol: '\n' });
  });
});

describe('bin/nodegroup-api.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bin-entry-'));
  const dist = join(dir, 'dist');
  const bundled = join(dist, 'src', 'cli', 'nodegroup-api.bundle.js');
  const buildInfo = join(dist, '.tsbuildinfo');

  const stub = (name: string) =>
    `exports.main = async () => { process.stdout.write('${name}'); return 0; };\n`;

  before(() => {
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dist, 'src', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'nodegroup-api.js'), join(dir, 'bin', 'nodegroup-api.js'));
    writeFileSync(join(dist, 'src', 'cli', 'main.js'), stub('compiled'));
    writeFileSync(buildInfo, '{}');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ran = (extraEnv: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(dir, 'bin', 'nodegroup-api.js')], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], ...extraEnv },
    });
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it('takes the compiled files when there is no bundle', () => {
    assert.equal(ran(), 'compiled');
  });

  it('takes the bundle when it was built after the last compile', () => {
    writeFileSync(bundled, stub('bundle'));
    at(buildInfo, 1_000_000);
    at(bundled, 1_000_001);
    assert.equal(ran(), 'bundle');
  });

  it('takes the compiled files when a compile came after the bundle (a stale bundle)', () => {
    at(bundled, 1_000_000);
    at(buildInfo, 1_000_001);
    assert.equal(ran(), 'compiled');
  });

  it('takes the compiled files with NODEGROUP_API_BUNDLE=0, even with a fresh bundle', () => {
    at(buildInfo, 1_000_000);
    at(bundled, 1_000_001);
    assert.equal(ran({ NODEGROUP_API_BUNDLE: '0' }), 'compiled');
  });
});
