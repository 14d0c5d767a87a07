/**
 * Acceptance: every runbook through cucumber-js against embedded sandboxes, serially and with
 * --parallel 2, asserting the summary (every scenario passed; cleanup left each sandbox as it
 * was, which the AfterAll hook checks). Bad input gets a message naming what to fix.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'runbook-acceptance-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function runbooks(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist/scripts/run-runbooks.js'), ...args], {
      cwd: root,
      env: { ...process.env, HOME: scratch, RUNBOOK_REPORTS_DIR: join(scratch, 'reports'), ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function assertAllPassed(out: string): void {
  assert.match(out, /runbooks: PASSED/, out);
  const scenarios = /scenarios (\d+) \((\d+) passed\)/.exec(out);
  assert.ok(scenarios && scenarios[1] === scenarios[2] && Number(scenarios[1]) >= 20, out);
}

describe('the runbooks against the embedded sandbox', () => {
  test('serially', async () => {
    const { code, out } = await runbooks([]);
    assert.equal(code, 0, out);
    assertAllPassed(out);
    assert.match(out, /ledger .*ledger\/\d{12}-[0-9a-f]{6}/);
  });

  test('with --parallel 2 (one sandbox per worker)', async () => {
    const { code, out } = await runbooks(['--parallel', '2']);
    assert.equal(code, 0, out);
    assertAllPassed(out);
  });

  test('the read-only runbooks alone (what is safe against production)', async () => {
    const { code, out } = await runbooks(['--tags', '@readonly']);
    assert.equal(code, 0, out);
    assert.match(out, /runbooks: PASSED/);
  });
});

describe('bad input', () => {
  const features = join(scratch, 'features');
  mkdirSync(features, { recursive: true });
  writeFileSync(
    join(features, 'bad.feature'),
    [
      'Feature: bad input',
      '  Scenario: an undefined step',
      '    When I frobnicate nodegroup "x"',
      '  Scenario: a missing run parameter',
      '    Given a new nodegroup "${RUNBOOK_TEST_UNSET}"',
      '',
    ].join('\n'),
  );

  test('undefined step text and a missing parameter name the step and what to do; the run fails', async () => {
    const { code, out } = await runbooks([join(features, 'bad.feature')], { RUNBOOK_TEST_UNSET: '' });
    assert.equal(code, 1, out);
    assert.match(
      out,
      /UNDEFINED: an undefined step[\s\S]*step: I frobnicate nodegroup "x"[\s\S]*no step definition matches/,
    );
    assert.match(
      out,
      /step: a new nodegroup "\$\{RUNBOOK_TEST_UNSET\}"[\s\S]*needs \$\{RUNBOOK_TEST_UNSET\}/,
    );
    assert.match(out, /nothing was changed on the target/);
  });

  test('malformed --world-parameters JSON and unknown parameters stop the run before it starts', async () => {
    const bad = await runbooks(['--world-parameters', '{"vars":']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--world-parameters is not valid JSON.*nothing was run/);
    const unknown = await runbooks(['--world-parameters', '{"allowDestructiv":true}']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.out, /world parameter "allowDestructiv" is not known/);
  });

  test('a live profile pointing at an unreachable host names the host and the command to run next', async () => {
    const { code, out } = await runbooks(['-p', 'readonly'], {
      KUBESPHERE_HOST: 'http://127.0.0.1:9',
      KUBESPHERE_USERNAME: 'admin',
      KUBESPHERE_PASSWORD: 'x',
    });
    assert.equal(code, 1, out);
    assert.match(out, /cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    assert.match(out, /nodegroup-api nodegroup list/);
    assert.match(out, /no scenario ran; nothing was changed/);
  });
});
