/**
 * `-p acceptance-live` against the standalone sandbox command, as an operator runs it: its env
 * file sourced (KUBESPHERE_*, KUBECONFIG and the viewer's KUBESPHERE_VIEWER_* lines), the nodes as
 * run variables, deletes allowed. The viewer's login comes from the env file (RBAC PASS); without
 * those lines RBAC is skipped with its coded reason, and only skipped capabilities is NOT ACCEPTED.
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../cucumber-harness';
import { row, why } from './verdict-lines';

const scratch = mkdtempSync(join(tmpdir(), 'acceptance-standalone-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const VARS = { NODE: 'worker-3', OTHER_NODE: 'edge-node-2' };
let runs = 0;
const reportsDir = () => join(scratch, `reports-${++runs}`);

describe('the acceptance profile against the standalone sandbox, through its env file', () => {
  let child: ChildProcess;
  const envFile = join(scratch, 'standalone', 'sandbox.env');
  before(async () => {
    mkdirSync(dirname(envFile), { recursive: true });
    child = spawn(join(PROJECT_ROOT, 'bin', 'nodegroup-sandbox.js'), ['--env-file', envFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = once(child, 'exit');
    const deadline = Date.now() + 20_000;
    while (!/sandbox ready at/.test(out)) {
      assert.ok(Date.now() < deadline, `the sandbox command printed no ready line: ${out}`);
      const state = await Promise.race([
        exited.then(() => 'exited'),
        new Promise((r) => setTimeout(() => r('wait'), 20)),
      ]);
      assert.notEqual(state, 'exited', 'the sandbox command exited before it was ready');
    }
  });
  after(async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });

  /** `-p acceptance-live` as an operator runs it: the env file sourced, the nodes to use, deletes allowed. */
  async function operatorRun(args: string, unset = ''): Promise<{ code: number; out: string; dir: string }> {
    const runner = join(PROJECT_ROOT, 'dist', 'scripts', 'run-runbooks.js');
    const dir = reportsDir();
    const cmd = `. "$ENV_FILE" && ${unset ? `unset ${unset} && ` : ''}exec "$NODE_BIN" "$RUNNER" -p acceptance-live ${args}`;
    const proc = spawn('sh', ['-c', cmd], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: scratch,
        RUNBOOK_REPORTS_DIR: dir,
        ENV_FILE: envFile,
        NODE_BIN: process.execPath,
        RUNNER: runner,
        RUNBOOK_VAR_NODE: VARS.NODE,
        RUNBOOK_VAR_OTHER_NODE: VARS.OTHER_NODE,
        RUNBOOK_ALLOW_DESTRUCTIVE: '1',
      },
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const [code] = (await once(proc, 'exit')) as [number];
    return { code, out, dir };
  }

  test("ACCEPTED, every capability PASS, the viewer's login read from the env file; the summary opens with the verdict", async () => {
    const { code, out, dir } = await operatorRun('');
    assert.equal(code, 0, out);
    for (const c of [
      'deployment',
      'config',
      'discovery',
      'rbac',
      'api-routes',
      'scheduling',
      'admission',
      'cleanup',
    ])
      assert.match(row(out, c), /\| PASS \|/, out);
    assert.match(out, /^\*\*ACCEPTED\*\*$/m);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    const lines = summary.split('\n');
    assert.match(lines[0]!, /^# Runbook run \S+: PASSED$/, summary);
    assert.equal(lines[2], '## Acceptance verdict', summary);
    assert.ok(summary.indexOf('**ACCEPTED**') < summary.indexOf('## Environment'), summary);
    assert.match(readFileSync(join(dir, 'acceptance.md'), 'utf8'), /^\*\*ACCEPTED\*\*$/m);
  });

  test('without the viewer lines: RBAC skipped with its coded reason; only skipped capabilities is NOT ACCEPTED, exit 1', async () => {
    const { code, out } = await operatorRun(
      "--tags '@capability:rbac'",
      'KUBESPHERE_VIEWER_USERNAME KUBESPHERE_VIEWER_PASSWORD',
    );
    assert.equal(code, 1, out);
    assert.match(
      row(out, 'rbac'),
      /\| SKIPPED: \[RUNBOOK_ENV_AUTH\] no credentials for the user "viewer"/,
      out,
    );
    assert.match(why(out, 'rbac'), /set KUBESPHERE_VIEWER_PASSWORD .*RUNBOOK_VAR_VIEWER_PASSWORD/, out);
    assert.match(out, /^\*\*NOT ACCEPTED\*\*: nothing ran \(skipped: rbac\)$/m);
  });
});
