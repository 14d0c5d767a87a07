/**
 * Acceptance: every runbook through cucumber-js against embedded sandboxes, serially and with
 * --parallel 2, asserting the summary (every scenario passed; cleanup left each sandbox as it
 * was, which the AfterAll hook checks). Bad input gets a message naming what to fix.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PROJECT_ROOT, runRunbooks } from '../cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-acceptance-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const runbooks = (args: string[], env: Record<string, string> = {}) =>
  runRunbooks(args, { HOME: scratch, RUNBOOK_REPORTS_DIR: join(scratch, 'reports'), ...env });

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

  test('the read-only runbooks alone (what is safe against production), reports where the run parameter says', async () => {
    const reportsDir = join(scratch, 'reports-by-parameter');
    const { code, out } = await runbooks([
      '--tags',
      '@readonly',
      '--world-parameters',
      JSON.stringify({ reportsDir }),
    ]);
    assert.equal(code, 0, out);
    assert.match(out, /runbooks: PASSED/);
    const evidence = /evidence (\S+)/.exec(out)?.[1];
    assert.ok(evidence?.startsWith(join(reportsDir, 'runs')), out);
    assert.ok(existsSync(evidence!), `the summary names the evidence folder the run wrote: ${evidence}`);
    assert.match(out, new RegExp(`ledger ${join(reportsDir, 'ledger')}`));
  });
});

describe('cucumber options', () => {
  const dir = join(scratch, 'options');
  mkdirSync(join(dir, 'features'), { recursive: true });
  // Step definitions of the test's own: they must register with the project's cucumber instance.
  const cucumber = JSON.stringify(require.resolve('@cucumber/cucumber', { paths: [PROJECT_ROOT] }));
  writeFileSync(
    join(dir, 'extra-steps.js'),
    [
      `const { Given, When } = require(${cucumber});`,
      'let attempts = 0;',
      "Given('a step that fails on its first attempt', () => {",
      "  if (++attempts === 1) throw new Error('the first attempt fails on purpose');",
      '});',
      "When('I list the nodegroups', () => {});",
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'features', 'flaky.feature'),
    'Feature: retry\n  Scenario: flaky\n    Given a step that fails on its first attempt\n    When I get nodegroup "edge-a"\n',
  );
  writeFileSync(
    join(dir, 'features', 'ambiguous.feature'),
    'Feature: ambiguous\n  Scenario: two definitions\n    When I list the nodegroups\n',
  );
  const extra = ['--require', join(dir, 'extra-steps.js')];
  const counted = (out: string) => Number(/scenarios (\d+)/.exec(out)?.[1]);

  test('--dry-run sends nothing; --shard 1/2 and 2/2 split the scenarios between them', async () => {
    const all = await runbooks(['--dry-run'], { RUNBOOK_RUN_ID: '260101000000-dryrun' });
    assert.equal(all.code, 0, all.out);
    assert.match(all.out, /runbooks: PASSED[\s\S]*dry run: nothing was sent/);
    assert.doesNotMatch(all.out, /FAILED/, 'no hook runs, and none is reported as failed');
    assert.equal(existsSync(join(scratch, 'reports', 'ledger', '260101000000-dryrun')), false, 'no ledger');
    const first = await runbooks(['--dry-run', '--shard', '1/2']);
    const second = await runbooks(['--dry-run', '--shard', '2/2']);
    assert.ok(counted(first.out) > 0 && counted(second.out) > 0, `${first.out}${second.out}`);
    assert.equal(counted(first.out) + counted(second.out), counted(all.out));
  });

  test('--retry 1 runs a failed scenario again; only the final attempt counts', async () => {
    const { code, out } = await runbooks([...extra, '--retry', '1', join(dir, 'features', 'flaky.feature')]);
    assert.equal(code, 0, out);
    assert.match(
      out,
      /runbooks: PASSED\n {2}scenarios 1 \(1 passed\), steps 2 \(2 passed\).*1 failed attempt\(s\) retried/,
    );
    const summary = out.slice(out.indexOf('runbooks: '));
    assert.doesNotMatch(summary, /first attempt fails on purpose/, 'the retried failure is no problem');
  });

  test('ambiguous step text names every matching definition; the run fails', async () => {
    const { code, out } = await runbooks([...extra, join(dir, 'features', 'ambiguous.feature')]);
    assert.equal(code, 1, out);
    assert.match(
      out,
      /AMBIGUOUS \[Runbook errors\]: two definitions[\s\S]*step: I list the nodegroups[\s\S]*several step definitions match this text[\s\S]*steps\/nodegroup\.js[\s\S]*extra-steps\.js/,
    );
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
      /UNDEFINED \[Runbook errors\]: an undefined step[\s\S]*step: I frobnicate nodegroup "x"[\s\S]*no step definition matches/,
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
    // A kubeconfig that loads (the KubeSphere host is checked first and is the one unreachable).
    const kubeconfig = join(scratch, 'unreachable.kubeconfig');
    writeFileSync(
      kubeconfig,
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {}}]\n' +
        'contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const { code, out } = await runbooks(['-p', 'readonly'], {
      KUBECONFIG: kubeconfig,
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
