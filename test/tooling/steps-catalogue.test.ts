/**
 * The step catalogue: docs/steps.md is the catalogue as generated now (stale: the test fails and
 * says how to regenerate it), every example is a line its own pattern matches, `nodegroup-runbooks
 * steps` prints every pattern grouped by domain, and an undefined step gets the closest patterns.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildCatalogue,
  type CatalogueDomain,
  catalogue,
  renderMarkdown,
} from '../../scripts/step-catalogue';
import { closestSteps, patternShape, textShape } from '../../scripts/step-suggestions';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'nodegroup-runbooks.js');

describe('step catalogue', () => {
  let domains: CatalogueDomain[];
  before(async () => {
    domains = await catalogue(root);
  });

  it('docs/steps.md is the catalogue of the current step definitions', () => {
    const committed = readFileSync(join(root, 'docs', 'steps.md'), 'utf8');
    assert.equal(
      committed,
      renderMarkdown(domains),
      'docs/steps.md is stale: regenerate it with `npm run docs` and commit it',
    );
  });

  it('covers every step file, and every example is matched by its own pattern', () => {
    const files = new Set(domains.flatMap((d) => d.steps.map((s) => s.definedIn)));
    for (const file of ['binding', 'deployment', 'kubectl', 'metadata', 'namespace', 'nodegroup', 'request'])
      assert.ok(files.has(`steps/${file}.ts`), `no step of steps/${file}.ts in ${[...files].join(', ')}`);
    const unmatched = domains
      .flatMap((d) => d.steps)
      .filter((s) => s.from === 'generated' && s.example === s.pattern);
    assert.deepEqual(unmatched, [], 'a step whose generated example its own pattern does not match');
  });

  it('a generated example is used only for a step no runbook uses, and it matches', () => {
    const definitions = [
      { pattern: 'I frobnicate {kind} {string} {int} times', uri: 'steps/x.ts', line: 1 },
    ].map((d) => ({
      ...d,
      expression: {
        match: (text: string) => (/^I frobnicate node "edge-a" 404 times$/.test(text) ? [] : null),
      },
    }));
    const [domain] = buildCatalogue(definitions, [], root);
    assert.deepEqual(domain, {
      domain: 'x',
      steps: [
        {
          pattern: 'I frobnicate {kind} {string} {int} times',
          example: 'I frobnicate node "edge-a" 404 times',
          from: 'generated',
          definedIn: 'steps/x.ts',
        },
      ],
    });
  });

  it('`nodegroup-runbooks steps` prints every pattern with an example, grouped by domain', () => {
    const run = spawnSync(process.execPath, [bin, 'steps'], { encoding: 'utf8', cwd: tmpdir() });
    assert.equal(run.status, 0, run.stderr);
    for (const { domain, steps } of domains) {
      assert.match(run.stdout, new RegExp(`^${domain}:$`, 'm'));
      for (const step of steps)
        assert.ok(run.stdout.includes(`  ${step.pattern}\n      e.g. ${step.example}\n`));
    }
  });
});

describe('did you mean, for a step no definition matches', () => {
  it('shapes reduce quoted values, numbers and parameters alike', () => {
    assert.equal(textShape('I bind node "worker-3" to nodegroup "edge-a"'), 'I bind node · to nodegroup ·');
    assert.equal(patternShape('I bind {kind} {string} to nodegroup {string}'), 'I bind · · to nodegroup ·');
    assert.equal(patternShape('^nodegroup "([^"]+)"(?: exists)?$'), 'nodegroup ·');
  });

  it('ranks the closest patterns first and suggests nothing for an unrelated text', () => {
    const patterns = [
      'I bind {kind} {string} to nodegroup {string}',
      'I unbind {kind} {string} from nodegroup {string}',
      'I delete nodegroup {string}',
    ];
    assert.equal(closestSteps('I bnid node "w" to nodegroup "g"', patterns)[0]!.pattern, patterns[0]);
    assert.equal(closestSteps('I remove nodegroup "g"', patterns)[0]!.pattern, patterns[2]);
    assert.deepEqual(closestSteps('the moon is made of cheese and nothing else at all', patterns), []);
  });

  describe('in a run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'undefined-step-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('names the closest existing steps under the summary', () => {
      const feature = join(dir, 'typo.feature');
      writeFileSync(
        feature,
        'Feature: typo\n  Scenario: a mistyped bind\n    When I bind nod "worker-3" to nodegrop "edge-a"\n',
      );
      const run = spawnSync(process.execPath, [bin, 'run', feature], {
        encoding: 'utf8',
        cwd: dir,
        env: { ...process.env, RUNBOOK_REPORTS_DIR: join(dir, 'reports'), RUNBOOK_ALLURE: 'off' },
      });
      assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
      assert.match(
        run.stdout,
        /undefined step "I bind nod "worker-3" to nodegrop "edge-a"": did you mean\n {4}I bind \{kind\} \{string\} to nodegroup \{string\}\n/,
      );
      assert.match(run.stdout.replace(/\n\s+/g, ' '), /`nodegroup-runbooks steps` lists every step/);
    });
  });
});
