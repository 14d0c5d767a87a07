/** The verdict (rendering, the accepted rule), the capability collector and the user lookup, as units. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  CapabilityCollector,
  type CapabilityResult,
  isAccepted,
  renderVerdict,
  resolveUser,
} from '../../src/runbook/acceptance';

const result = (
  capability: string,
  status: CapabilityResult['status'],
  detail?: string,
): CapabilityResult => ({
  capability,
  status,
  evidence: 'runs/r1/',
  scenarios: [`${capability} scenario`],
  ...(detail ? { detail } : {}),
});

describe('the verdict', () => {
  test('every capability passed: ACCEPTED, rows in the capability order, each with its evidence link', () => {
    const md = renderVerdict([result('scheduling', 'PASS'), result('deployment', 'PASS')], { runId: 'r1' });
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| capability'));
    assert.deepEqual(
      rows.map((r) => r.split(':')[0]),
      ['| deployment', '| scheduling'],
    );
    assert.match(rows[0]!, /\| PASS \| \[deployment scenario\]\(runs\/r1\/\) \|$/);
    assert.match(md, /^\*\*ACCEPTED\*\*$/m);
    assert.doesNotMatch(md, /### Why/);
  });

  test('a failure: NOT ACCEPTED naming it, its reason in full under the table (cells escaped and cut)', () => {
    const long = `expected a | b ${'x'.repeat(400)}`;
    const md = renderVerdict([result('deployment', 'PASS'), result('rbac', 'FAIL', long)]);
    assert.match(md, /^\*\*NOT ACCEPTED\*\*: failed rbac$/m);
    const row = md.split('\n').find((l) => l.startsWith('| rbac'))!;
    assert.match(row, /FAIL: expected a \\\| b x+…/);
    assert.ok(md.includes(`- **rbac** FAIL: ${long}`));
    assert.equal(isAccepted([result('rbac', 'FAIL')]), false);
  });

  test('a skipped capability is named on the final line; nothing run at all is not accepted', () => {
    const md = renderVerdict([result('deployment', 'PASS'), result('rbac', 'SKIPPED', 'no credentials')]);
    assert.match(md, /^\*\*ACCEPTED\*\* \(skipped: rbac\)$/m);
    assert.match(md, /- \*\*rbac\*\* SKIPPED: no credentials/);
    assert.match(
      renderVerdict([result('rbac', 'SKIPPED')]),
      /^\*\*NOT ACCEPTED\*\*: nothing ran \(skipped: rbac\)$/m,
    );
    assert.match(renderVerdict([]), /^\*\*NOT ACCEPTED\*\*: no capability was checked$/m);
  });
});

/** Envelopes of a run with the given scenarios (capability tag, step statuses, attachments). */
function run(
  scenarios: {
    id: string;
    capability: string;
    attempts: { steps: string[]; log?: string; error?: string }[];
  }[],
  runSucceeded = true,
) {
  const c = new CapabilityCollector('runs/r1/');
  for (const s of scenarios) {
    c.onMessage({
      pickle: { id: s.id, name: `scenario ${s.id}`, tags: [{ name: `@capability:${s.capability}` }] },
    });
    c.onMessage({ testCase: { id: `tc-${s.id}`, pickleId: s.id } });
    s.attempts.forEach((a, n) => {
      const started = `${s.id}-${n}`;
      c.onMessage({ testCaseStarted: { id: started, testCaseId: `tc-${s.id}` } });
      if (a.log) c.onMessage({ attachment: { testCaseStartedId: started, body: a.log } });
      for (const status of a.steps)
        c.onMessage({
          testStepFinished: {
            testCaseStartedId: started,
            testStepResult: { status, ...(status === 'FAILED' ? { exception: { message: a.error } } : {}) },
          },
        });
    });
  }
  c.onMessage({
    testRunFinished: runSucceeded
      ? { success: true }
      : { success: false, message: 'cleanup left the sandbox changed:\n  added nodegroup/x' },
  });
  return c.results();
}

describe('the capability collector', () => {
  test('a capability fails with its first failing scenario and step message; a retried scenario counts by its last try', () => {
    const results = run([
      { id: 'a', capability: 'scheduling', attempts: [{ steps: ['PASSED'] }] },
      {
        id: 'b',
        capability: 'scheduling',
        attempts: [{ steps: ['PASSED', 'FAILED', 'SKIPPED'], error: 'pod x Pending\n    at foo (bar.js:1)' }],
      },
      {
        id: 'c',
        capability: 'api-routes',
        attempts: [{ steps: ['FAILED'], error: 'flaky' }, { steps: ['PASSED'] }],
      },
    ]);
    const by = Object.fromEntries(results.map((r) => [r.capability, r]));
    assert.equal(by['scheduling']!.status, 'FAIL');
    assert.equal(by['scheduling']!.detail, 'scenario b: pod x Pending');
    assert.deepEqual(by['scheduling']!.scenarios, ['scenario a', 'scenario b']);
    assert.equal(by['api-routes']!.status, 'PASS');
  });

  test("a skipped scenario carries the skipping step's reason; a run failing after the scenarios fails cleanup", () => {
    const results = run(
      [
        {
          id: 'r',
          capability: 'rbac',
          attempts: [{ steps: ['SKIPPED', 'SKIPPED'], log: 'skipped: no credentials for the user "viewer"' }],
        },
      ],
      false,
    );
    assert.deepEqual(
      results.map((r) => [r.capability, r.status, r.detail]),
      [
        ['rbac', 'SKIPPED', 'no credentials for the user "viewer"'],
        ['cleanup', 'FAIL', 'after the scenarios: cleanup left the sandbox changed: added nodegroup/x'],
      ],
    );
  });
});

describe("the other user's login", () => {
  const from = (vars: Record<string, string>) => (name: string) => vars[name];

  test('from <USER>_PASSWORD or <USER>_TOKEN, the login name from <USER>_USERNAME or the user itself', () => {
    assert.deepEqual(resolveUser('viewer', from({ VIEWER_PASSWORD: 'p' })), {
      login: { name: 'viewer', username: 'viewer', password: 'p' },
    });
    assert.deepEqual(resolveUser('qa-viewer', from({ QA_VIEWER_USERNAME: 'qa', QA_VIEWER_TOKEN: 't' })), {
      login: { name: 'qa-viewer', username: 'qa', token: 't' },
    });
  });

  test('from the KubeSphere credential variables (the env file), never from a bare VIEWER_PASSWORD', () => {
    const env = {
      KUBESPHERE_VIEWER_USERNAME: 'ro',
      KUBESPHERE_VIEWER_PASSWORD: 'e',
      VIEWER_PASSWORD: 'bare',
    };
    assert.deepEqual(resolveUser('viewer', from({}), env), {
      login: { name: 'viewer', username: 'ro', password: 'e' },
    });
    // A run variable wins over the environment's credential variable.
    assert.deepEqual(resolveUser('viewer', from({ VIEWER_PASSWORD: 'v' }), env), {
      login: { name: 'viewer', username: 'ro', password: 'v' },
    });
    const bareOnly = resolveUser('viewer', from({}), { VIEWER_PASSWORD: 'bare' });
    assert.ok('skip' in bareOnly, 'a bare VIEWER_PASSWORD was read');
  });

  test("the embedded sandbox's own user when nothing is set; otherwise a coded skip naming the variables", () => {
    assert.deepEqual(resolveUser('viewer', from({}), {}, [{ username: 'viewer', password: 's' }]), {
      login: { name: 'viewer', username: 'viewer', password: 's' },
    });
    const none = resolveUser('viewer', from({}));
    assert.ok('skip' in none);
    assert.equal(none.skip.code, 'RUNBOOK_ENV_AUTH');
    assert.match(none.skip.reason, /set KUBESPHERE_VIEWER_PASSWORD \(or KUBESPHERE_VIEWER_TOKEN/);
    assert.match(none.skip.reason, /RUNBOOK_VAR_VIEWER_PASSWORD/);
  });
});
