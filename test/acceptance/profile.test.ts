/**
 * `-p acceptance` end to end, through the runbook runner in a child process: ACCEPTED on the
 * embedded sandbox; against sandboxes of the test's own (as a live target): NOT ACCEPTED with the
 * controller paused, the scheduling capability failing with scheduling switched off, a viewer that
 * can write, a group whose nodes are not Ready (the scheduler's reason, not a timeout). The
 * standalone sandbox through its env file: standalone.test.ts.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { NODEGROUP_CONFIG_KEY, NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE } from '../../src/constants';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { type FinishedRun, runRunbooks } from '../cucumber-harness';
import { row, why } from './verdict-lines';

const scratch = mkdtempSync(join(tmpdir(), 'acceptance-profile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const VIEWER_PASSWORD = 'viewer-0f-the-test';
const VARS = { NODEGROUP: 'edge-a', NODE: 'worker-3', OTHER_NODE: 'edge-node-2', NAMESPACE: 'monitoring' };
let runs = 0;

function reportsDir(): string {
  return join(scratch, `reports-${++runs}`);
}

/** The profile against a sandbox of the test's own, as a live target (its admin, its kubeconfig). */
function againstLive(
  sandbox: Sandbox,
  args: string[] = [],
  env: Record<string, string> = {},
  waitTimeoutMs = 1500,
): Promise<FinishedRun> {
  const params = { allowDestructive: true, waitTimeoutMs, vars: VARS };
  return runRunbooks(['-p', 'acceptance-live', '--world-parameters', JSON.stringify(params), ...args], {
    HOME: scratch,
    RUNBOOK_REPORTS_DIR: reportsDir(),
    ...sandbox.env,
    // As the sandbox's env file exports it.
    KUBESPHERE_VIEWER_USERNAME: sandbox.readonly.username,
    KUBESPHERE_VIEWER_PASSWORD: VIEWER_PASSWORD,
    ...env,
  });
}

describe('the acceptance profile', () => {
  test('on the embedded sandbox: every capability PASS, ACCEPTED, exit 0, the verdict in acceptance.md', async () => {
    const dir = reportsDir();
    const { code, out } = await runRunbooks(['-p', 'acceptance'], {
      HOME: scratch,
      RUNBOOK_REPORTS_DIR: dir,
    });
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
      assert.match(row(out, c), /\| PASS \| \[.+\]\(runs\/[^)]+\/\) \|$/, out);
    assert.match(out, /^\*\*ACCEPTED\*\*$/m);
    const file = readFileSync(join(dir, 'acceptance.md'), 'utf8');
    assert.match(file, /^## Acceptance verdict/);
    assert.match(file, /\*\*ACCEPTED\*\*/);
    // The summary opens with the same verdict table.
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    assert.match(summary, /^# Runbook run \S+: PASSED\n\n## Acceptance verdict\n/, summary);
    assert.ok(summary.indexOf('| rbac: ') < summary.indexOf('## Environment'), summary);
  });
});

describe('the acceptance profile against a broken target', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox({ viewerPassword: VIEWER_PASSWORD });
  });
  after(() => sandbox.stop());

  test('the controller paused: NOT ACCEPTED, exit 1, the deployment capability named', async () => {
    sandbox.reset();
    sandbox.faults.set('controller-paused', {});
    // Every wait on the hung controller runs to its deadline: keep the deadline short.
    const { code, out } = await againstLive(sandbox, [], {}, 600);
    sandbox.reset();
    assert.equal(code, 1, out);
    assert.match(row(out, 'deployment'), /\| FAIL: .*nodegroup-controller-manager/, out);
    // Every failure carries its error code (the report's category comes from it).
    assert.match(why(out, 'deployment'), /FAIL: .*\[RUNBOOK_[A-Z_]+\]/, out);
    assert.match(row(out, 'rbac'), /\| PASS \|/, out);
    assert.match(out, /^\*\*NOT ACCEPTED\*\*: failed deployment, api-routes, scheduling, admission/m);
  });

  test('scheduling switched off in the config: the scheduling capability fails', async () => {
    sandbox.reset();
    sandbox.store.mutate('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP, (cm) => {
      cm['data'] = {
        [NODEGROUP_CONFIG_KEY]: stringify({
          scheduling: { enabled: false },
          policy: { enabled: true },
          rbac: { enabled: true },
          ippool: { enabled: true },
        }),
      };
    });
    const { code, out } = await againstLive(sandbox);
    sandbox.reset();
    assert.equal(code, 1, out);
    assert.match(row(out, 'scheduling'), /\| FAIL: .*scheduler\.alpha\.kubernetes\.io\/node-selector/, out);
    assert.match(row(out, 'config'), /\| FAIL: .*scheduling/, out);
    assert.match(row(out, 'cleanup'), /\| PASS \|/, out);
    assert.match(out, /^\*\*NOT ACCEPTED\*\*: failed .*scheduling/m);
  });

  test('a viewer that can write: the RBAC capability fails naming each request that should have been 403', async () => {
    sandbox.reset();
    // Run variables (RUNBOOK_VAR_) win over the environment's credential variables.
    const { code, out } = await againstLive(sandbox, ['--tags', '@capability:rbac or @capability:cleanup'], {
      RUNBOOK_VAR_VIEWER_USERNAME: sandbox.username,
      RUNBOOK_VAR_VIEWER_PASSWORD: sandbox.password,
    });
    assert.equal(code, 1, out);
    assert.match(row(out, 'rbac'), /\| FAIL: /, out);
    const rbac = why(out, 'rbac');
    assert.match(rbac, /\[RUNBOOK_VERIFY\]/, out);
    assert.match(
      rbac,
      /FAIL: .*should have been refused \(403\) but was not: .*POST \/kapis\/infra\.kubesphere\.io\/v1alpha1\/nodegroups -> accepted/,
      out,
    );
    assert.match(rbac, /PATCH \/api\/v1\/nodes\/worker-3 -> accepted/, out);
    // The probe group the viewer could create was in the ledger first: the cleanup deleted it.
    assert.match(row(out, 'cleanup'), /\| PASS \|/, out);
    assert.deepEqual(
      sandbox.store.list('nodegroups').items.map((g) => g.metadata.name),
      ['edge-a'],
    );
  });

  test('a group whose nodes are not Ready: the scheduling capability fails at once with the reason', async () => {
    sandbox.reset();
    for (const node of [VARS.NODE, VARS.OTHER_NODE])
      sandbox.store.mutate('nodes', undefined, node, (n) => {
        const status = n['status'] as { conditions: { type: string; status: string }[] };
        for (const c of status.conditions) if (c.type === 'Ready') c.status = 'False';
      });
    const started = Date.now();
    const { code, out } = await againstLive(
      sandbox,
      ['--tags', '@capability:scheduling', '--name', 'runs on a node of the group'],
      {},
    );
    const took = Date.now() - started;
    sandbox.reset();
    assert.equal(code, 1, out);
    assert.match(row(out, 'scheduling'), /\| FAIL: /, out);
    const scheduling = why(out, 'scheduling');
    assert.match(
      scheduling,
      /cannot be scheduled: 0\/6 nodes are available: .*2 node\(s\) had untolerated taint \{node\.kubernetes\.io\/not-ready: \}/,
      out,
    );
    assert.doesNotMatch(scheduling, /wait expired/);
    // The scheduler's reason is a product finding, not a stuck controller.
    assert.match(scheduling, /\[RUNBOOK_VERIFY\]/, out);
    assert.ok(took < 15_000, `took ${took} ms`);
  });
});
