/**
 * Plan on a twin against a standalone sandbox as the live environment (behind a recording proxy,
 * reached through an environment file): nothing is written to live (its state before and after,
 * the proxy's log holds only reads), plan.json lists the exact writes and diffs of an operation,
 * and a failing Then-check shows in plan.json and plan.md. The import's RBAC refusal is named.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { snapshot } from '../twin/snapshot';
import { FAILING, type Live, OPERATION, planDirOf, readPlanJson, runbooks, startLive } from './harness';

let l: Live;
const dir = mkdtempSync(join(tmpdir(), 'plan-'));
before(async () => {
  l = await startLive(dir);
});
after(async () => {
  await l?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('nodegroup-runbooks plan --env NAME', { timeout: 120_000 }, () => {
  test('writes nothing to live: its state is unchanged and it saw only reads', async () => {
    // The last run's results stay as they were: a plan writes only under reports/plans/<id>/.
    mkdirSync(join(l.reports, 'allure-results'), { recursive: true });
    writeFileSync(join(l.reports, 'allure-results', 'last-run-result.json'), '{}');
    writeFileSync(join(l.reports, 'summary.md'), 'the last run\n');
    const before = await snapshot(l.live.url, l.live.token);
    const from = l.proxy.requests.length;
    const run = await runbooks(l, ['plan', '--env', 'stage', OPERATION]);
    assert.equal(run.code, 0, run.out);
    assert.deepEqual(await snapshot(l.live.url, l.live.token), before, 'live changed');
    const sent = l.proxy.requests.slice(from);
    assert.ok(sent.length > 0);
    assert.deepEqual(
      sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
      sent.some((r) => r.method === 'POST') ? ['POST /oauth/token'] : [],
    );
    const plan = readPlanJson(planDirOf(run));
    assert.equal(plan.import.onlyReads, true);
    assert.equal(plan.import.requests.length, sent.length, "the plan's request log is the proxy's");
    assert.match(run.out, /1 scenario\(s\) would pass, 0 would fail; 2 object\(s\) would change/);
    assert.match(run.out, /live saw only reads/);
    assert.equal(readFileSync(join(l.reports, 'summary.md'), 'utf8'), 'the last run\n');
    assert.deepEqual(readdirSync(join(l.reports, 'allure-results')), ['last-run-result.json']);
    assert.ok(!existsSync(join(l.reports, 'ledger')), 'a ledger outside the plan');
  });

  test("the live environment's guardrails apply on the twin: deleting a group the run did not create needs the opt-in", async () => {
    const deleteTheirs = 'test/fixtures/plan/delete-existing.feature';
    const refused = await runbooks(l, ['plan', '--env', 'stage', deleteTheirs]);
    assert.equal(refused.code, 1, refused.out);
    const [s] = readPlanJson(planDirOf(refused)).scenarios;
    assert.equal(s!.status, 'FAILED');
    assert.match(s!.message!, /RUNBOOK_GUARDRAIL|refusing to delete nodegroup edge-a/);
    const allowed = await runbooks(l, ['plan', '--env', 'stage', '--allow-destructive', deleteTheirs]);
    const plan = readPlanJson(planDirOf(allowed));
    assert.equal(plan.environment.allowDestructive, true);
    assert.doesNotMatch(plan.scenarios[0]!.message ?? '', /refusing to/, allowed.out);
    assert.ok(
      plan.scenarios[0]!.writes.some((w) => w.method === 'DELETE'),
      'the delete was sent to the twin',
    );
  });

  test('plan.json: the exact writes of an operation and the diff of each object it changes', async () => {
    const run = await runbooks(l, ['plan', '--env', 'stage', OPERATION]);
    assert.equal(run.code, 0, run.out);
    const plan = readPlanJson(planDirOf(run));
    assert.equal(plan.environment.name, 'stage');
    assert.deepEqual(plan.vars, { NODE: 'worker-3', NODEGROUP: 'edge-a' });
    assert.deepEqual(
      plan.features.map((f) => f.uri),
      [OPERATION],
    );
    assert.match(plan.features[0]!.sha256, /^[0-9a-f]{64}$/);
    const [s] = plan.scenarios;
    assert.equal(s!.status, 'PASSED');
    const ng = '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a';
    assert.deepEqual(
      s!.writes.map((w) => [w.step === 'cleanup' ? 'cleanup' : 'step', w.method, w.path]),
      [
        ['step', 'POST', `${ng}/nodes/worker-3`],
        ['step', 'PATCH', ng],
        ['cleanup', 'PATCH', ng],
        ['cleanup', 'DELETE', `${ng}/nodes/worker-3`],
      ],
    );
    assert.deepEqual(s!.writes[1]!.body, [
      { op: 'add', path: '/spec/description', value: 'planned by the plan tests' },
    ]);
    const node = s!.changes.find((c) => c.resource === 'nodes' && c.name === 'worker-3')!;
    assert.deepEqual(node.fields, [
      { path: 'metadata.labels["apps.edgewize.io/nodegroup"]', after: 'edge-a' },
    ]);
    assert.equal(node.restored, true, 'the cleanup undid the bind');
    const group = s!.changes.find((c) => c.resource === 'nodegroups' && c.name === 'edge-a')!;
    assert.ok(
      group.fields.some((f) => f.path === 'spec.description' && f.after === 'planned by the plan tests'),
      JSON.stringify(group.fields),
    );
    assert.ok(plan.model.constants.some((c) => c.name === 'DESIRED_NODEGROUP_ANNOTATION'));
    const md = readFileSync(join(planDirOf(run), 'plan.md'), 'utf8');
    assert.match(md, /This plan is a prediction/);
    assert.match(md, /### PASS Bind a node to the group and describe the group/);
    assert.match(md, /\+ spec\.description: "planned by the plan tests"/);
    assert.match(
      md,
      /- POST \/kapis\/infra\.kubesphere\.io\/v1alpha1\/nodegroups\/edge-a\/nodes\/worker-3\n/,
    );
  });

  test('a failing Then-check is in the plan: the scenario, the step and why', async () => {
    const run = await runbooks(l, ['plan', '--env', 'stage', FAILING]);
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /0 scenario\(s\) would pass, 1 would fail/);
    const plan = readPlanJson(planDirOf(run));
    const [s] = plan.scenarios;
    assert.equal(s!.status, 'FAILED');
    assert.equal(s!.failedStep, 'node "${NODE}" belongs to nodegroup "never-bound"');
    const failed = s!.steps.find((st) => st.status === 'FAILED')!;
    assert.match(
      failed.message!,
      /expected node worker-3 with label apps\.edgewize\.io\/nodegroup=never-bound/,
    );
    const md = readFileSync(join(planDirOf(run), 'plan.md'), 'utf8');
    assert.match(md, /### FAIL The node is checked against a group it was never bound to/);
    assert.match(md, /- failed: node "worker-3" belongs to nodegroup "never-bound"/);
  });

  test('an environment the twin cannot read: the kind and the permission, exit 35, no plan', async () => {
    const from = l.proxy.requests.length;
    l.proxy.refuse(/^\/api\/v1\/nodes$/, 403);
    const run = await runbooks(l, ['plan', '--env', 'stage', OPERATION]);
    assert.equal(run.code, 35, run.out);
    assert.match(run.out, /the twin cannot read one kind it needs/);
    assert.match(run.out, /nodes.*list/);
    assert.match(run.out, /no plan was made; nothing was written to live/);
    assert.deepEqual(
      l.proxy.requests.slice(from).filter((r) => r.method !== 'GET' && r.path !== '/oauth/token'),
      [],
    );
  });
});
