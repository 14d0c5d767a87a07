/**
 * nodegroup-api as kubectl users expect it: --version, examples in every command's help, -o
 * name|wide, --no-headers, suggestions for a mistyped flag or command, and completion scripts
 * that a shell parses and that complete the real command tree.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program';
import { runCli, sendJson, startServer } from '../cli-helpers';

const root = join(__dirname, '..', '..', '..');
const GROUPS = {
  items: ['edge-a', 'edge-b'].map((name) => ({
    apiVersion: 'infra.kubesphere.io/v1alpha1',
    kind: 'NodeGroup',
    metadata: { name, creationTimestamp: new Date().toISOString(), finalizers: ['nodegroup.finalizer'] },
    spec: { alias: name.toUpperCase(), manager: 'ops', description: `racks of ${name}` },
    status: { state: 'active' },
  })),
};

/** Every command of the tree with its full name: `nodegroup list`, `bind node`, ... */
function leaves(command: Command, prefix = ''): { name: string; command: Command }[] {
  const subs = command.commands.filter((sub) => sub.name() !== 'help');
  const name = `${prefix} ${command.name()}`.trim();
  return subs.length === 0 ? [{ name, command }] : subs.flatMap((sub) => leaves(sub, name));
}

describe('nodegroup-api as kubectl users expect', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let env: Record<string, string>;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.url.startsWith('/api/v1/nodes')) return sendJson(res, 200, { items: [] });
      return sendJson(res, 200, GROUPS);
    });
    env = { KUBESPHERE_HOST: server.url, KUBESPHERE_TOKEN: 't', HOME: tmpdir() };
  });
  after(() => server.close());

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], env);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), pkg.version);
  });

  it('every command has examples in its help, each starting with the command', async () => {
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env };
    const all = leaves(buildProgram(io as never, []));
    assert.ok(all.length >= 14, `expected every command, found ${all.map((c) => c.name).join(', ')}`);
    for (const { name } of all) {
      const words = name.split(' ').slice(1);
      const run = await runCli([...words, '--help'], env);
      assert.equal(run.code, 0, name);
      const block = run.stdout.split('\nExamples:\n')[1];
      assert.ok(block, `${name} --help has no Examples block:\n${run.stdout}`);
      assert.match(block, /^ {2}(source <\()?nodegroup-api /m, `${name}: ${block}`);
    }
  });

  it('-o name prints kind/name lines; -o wide adds columns; --no-headers drops the header', async () => {
    const names = await runCli(['nodegroup', 'list', '-o', 'name'], env);
    assert.equal(
      names.stdout,
      'nodegroup.infra.kubesphere.io/edge-a\nnodegroup.infra.kubesphere.io/edge-b\n',
    );
    const wide = await runCli(['nodegroup', 'list', '-o', 'wide'], env);
    assert.match(
      wide.stdout.split('\n')[0]!,
      /^NAME +ALIAS +MANAGER +STATE +NODES +AGE +DESCRIPTION +FINALIZERS$/,
    );
    assert.match(wide.stdout, /racks of edge-b +nodegroup\.finalizer/);
    const bare = await runCli(['nodegroup', 'list', '-o', 'table', '--no-headers'], env);
    assert.equal(bare.code, 0);
    assert.deepEqual(
      bare.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(/ +/)[0]),
      ['edge-a', 'edge-b'],
    );
  });

  it('a mistyped flag, command or output format names the closest', async () => {
    const flag = await runCli(['nodegroup', 'list', '--outptu', 'json'], env);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--outptu'\n\(Did you mean --output\?\)/);
    const command = await runCli(['nodegroup', 'lsit'], env);
    assert.match(command.stderr, /unknown command 'lsit'\n\(Did you mean list\?\)/);
    const format = await runCli(['nodegroup', 'list', '-o', 'wdie'], env);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /Allowed choices are json, yaml, table, wide, name/);
    assert.equal(server.requests.filter((r) => r.url.includes('lsit')).length, 0);
  });

  describe('completion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'completion-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** What bash completes for the words typed so far (the last one being completed). */
    function complete(script: string, words: string[]): string[] {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const run = spawnSync(
        'bash',
        [
          '-c',
          `source ${script}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _nodegroup_api; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(run.status, 0, run.stderr);
      return run.stdout.split('\n').filter(Boolean);
    }

    it('bash: parses (bash -n) and completes commands, flags and -o values', async () => {
      const run = await runCli(['completion', 'bash'], env);
      assert.equal(run.code, 0);
      const script = join(dir, 'nodegroup-api.bash');
      writeFileSync(script, run.stdout);
      const syntax = spawnSync('bash', ['-n', script], { encoding: 'utf8' });
      assert.equal(syntax.status, 0, syntax.stderr);
      assert.deepEqual(complete(script, ['nodegroup-api', 'nodegroup', 'l']), ['list']);
      assert.deepEqual(complete(script, ['nodegroup-api', 'bind', 'n']), ['node', 'namespace']);
      assert.deepEqual(complete(script, ['nodegroup-api', 'bind', 'node', '--node']), [
        '--nodegroup',
        '--node',
      ]);
      assert.deepEqual(complete(script, ['nodegroup-api', 'nodegroup', 'list', '-o', 'w']), ['wide']);
    });

    it('zsh: a compdef script that zsh parses when zsh is present', async (t) => {
      const run = await runCli(['completion', 'zsh'], env);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^#compdef nodegroup-api\n/);
      assert.match(run.stdout, /'nodegroup list'\) candidates=\(/);
      const script = join(dir, '_nodegroup-api');
      writeFileSync(script, run.stdout);
      const zsh = spawnSync('zsh', ['-n', script], { encoding: 'utf8' });
      if (zsh.error) return t.skip('zsh is not installed: only the bash script is parsed');
      assert.equal(zsh.status, 0, zsh.stderr);
    });

    it('an unknown shell is a usage error naming the shells', async () => {
      const run = await runCli(['completion', 'fish'], env);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /no completion for shell 'fish'\nusage: nodegroup-api completion bash\|zsh/);
    });
  });
});
