/**
 * The `dev` profile runs steps and support straight from TypeScript (ts-node, transpile-only): a
 * step written in TypeScript, never compiled, runs beside the project's own steps, loaded from
 * steps/*.ts (not dist/).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');

describe('dev profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-profile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs an uncompiled TypeScript step and the project steps from steps/*.ts', () => {
    const step = join(dir, 'typed-step.ts');
    writeFileSync(
      step,
      [
        `import { Then } from ${JSON.stringify(join(root, 'node_modules/@cucumber/cucumber'))};`,
        'const seen: string[] = [];',
        "Then('a typed step sees {int}', (n: number) => {",
        '  seen.push(`${n satisfies number}`);',
        "  if (seen[0] !== '42') throw new Error(`saw ${seen[0]}`);",
        '});',
        '',
      ].join('\n'),
    );
    const feature = join(dir, 'dev.feature');
    writeFileSync(
      feature,
      'Feature: dev\n  Scenario: typed\n    When I list the nodegroups\n    Then a typed step sees 42\n',
    );
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'bin', 'nodegroup-runbooks.js'),
        'run',
        '-p',
        'dev',
        '--require',
        step,
        '--format',
        'message',
        feature,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, RUNBOOK_ALLURE: 'off', RUNBOOK_REPORTS_DIR: join(dir, 'reports'), HOME: dir },
      },
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const uris = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{"stepDefinition"'))
      .map(
        (line) =>
          (JSON.parse(line) as { stepDefinition: { sourceReference: { uri: string } } }).stepDefinition
            .sourceReference.uri,
      );
    assert.ok(
      uris.some((u) => u.endsWith('steps/nodegroup.ts')),
      `project steps from TypeScript: ${uris.slice(0, 3).join(', ')}`,
    );
    assert.ok(!uris.some((u) => u.includes('dist/')), 'nothing from dist/');
  });
});
