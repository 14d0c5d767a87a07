/**
 * Apply against a standalone sandbox as the live environment: after no drift it sends exactly
 * the planned writes and says "as planned"; a hand edit on live between plan and apply, a changed
 * feature file, a plan of another environment, no plan and a damaged plan are each refused before
 * the first write, with their own exit code.
 */
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeEnvironmentFile } from '../environment/standalone-sandbox';
import { snapshot } from '../twin/snapshot';
import {
  type Live,
  newestRun,
  OPERATION,
  planDirOf,
  ROOT,
  readPlanJson,
  runbooks,
  startLive,
  writesSince,
} from './harness';

let l: Live;
const dir = mkdtempSync(join(tmpdir(), 'apply-'));
before(async () => {
  l = await startLive(dir);
});
after(async () => {
  await l?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A plan of `paths` made just now (live changes with every apply: a plan goes stale). */
async function freshPlan(paths: string[]): Promise<string> {
  const run = await runbooks(l, ['plan', '--env', 'stage', ...paths]);
  assert.equal(run.code, 0, run.out);
  return planDirOf(run);
}

/** An edit by hand on live, past the proxy (as another operator would). */
async function handEdit(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${l.live.url}${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${l.live.token}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify(body),
  });
  assert.ok(res.status < 300, `${path}: ${res.status}`);
}

describe('nodegroup-runbooks apply --env NAME PLAN', { timeout: 180_000 }, () => {
  test('after no drift: exactly the planned writes, "as planned", the report links the plan', async () => {
    const planDir = await freshPlan([OPERATION]);
    const plan = readPlanJson(planDir);
    const from = l.proxy.requests.length;
    const run = await runbooks(l, ['apply', '--env', 'stage', planDir]);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /apply: as planned/);
    const planned = plan.scenarios.flatMap((s) =>
      s.writes.filter((w) => w.via === 'http').map((w) => `${w.method} ${w.path}`),
    );
    assert.deepEqual(writesSince(l.proxy, from), planned);
    const report = newestRun(l.reports);
    const applied = JSON.parse(readFileSync(join(report, 'apply.json'), 'utf8'));
    assert.equal(applied.asPlanned, true);
    assert.deepEqual(applied.differences, []);
    assert.match(
      readFileSync(join(report, 'apply.md'), 'utf8'),
      new RegExp(`Plan: \\[${planDir}/plan\\.md\\]`),
    );
    // The run's summary.md links the plan too, and says how the apply went.
    const summary = readFileSync(join(l.reports, 'summary.md'), 'utf8');
    assert.ok(
      summary.includes(`## Apply of plan ${plan.planId}\n\nPlan: ${planDir}/plan.md\n\nAs planned`),
      summary.slice(-600),
    );
  });

  test('a hand edit on live between plan and apply: refused before any write, the object and field named', async () => {
    const planDir = await freshPlan([OPERATION]);
    await handEdit('/api/v1/nodes/worker-2', { metadata: { labels: { 'edited-by': 'hand' } } });
    const before = await snapshot(l.live.url, l.live.token);
    const from = l.proxy.requests.length;
    const run = await runbooks(l, ['apply', '--env', 'stage', planDir]);
    assert.equal(run.code, 34, run.out);
    assert.match(run.out, /live changed since the plan \S+ read it/);
    assert.match(run.out, /Node worker-2: modified/);
    assert.match(run.out, /metadata\.labels\["edited-by"\]: \(absent\) -> "hand"/);
    assert.match(run.out, /refused before any write; nothing was written to live/);
    assert.deepEqual(writesSince(l.proxy, from), []);
    assert.deepEqual(await snapshot(l.live.url, l.live.token), before);
  });

  test('a feature file changed since the plan: refused, the file named, nothing sent', async () => {
    const copy = join(ROOT, 'test', 'fixtures', 'plan', `changed-${process.pid}.feature`);
    copyFileSync(join(ROOT, OPERATION), copy);
    try {
      const planDir = await freshPlan([copy]);
      writeFileSync(
        copy,
        readFileSync(copy, 'utf8').replace('planned by the plan tests', 'changed after the plan'),
      );
      const from = l.proxy.requests.length;
      const run = await runbooks(l, ['apply', '--env', 'stage', planDir]);
      assert.equal(run.code, 33, run.out);
      assert.match(
        run.out,
        new RegExp(
          `feature file\\(s\\) changed since the plan \\S+:\\n\\s+- \\S*changed-${process.pid}\\.feature \\(sha256 differs\\)`,
        ),
      );
      assert.deepEqual(writesSince(l.proxy, from), []);
    } finally {
      rmSync(copy, { force: true });
    }
  });

  test('a plan of another environment or opt-in, no plan, a damaged plan: each its own exit code, nothing sent', async () => {
    const planDir = await freshPlan([OPERATION]);
    const plan = readPlanJson(planDir);
    writeEnvironmentFile(l.envs, 'other', {
      host: plan.environment.host,
      kubeconfig: join(l.dir, 'proxied.kubeconfig'),
    });
    const from = l.proxy.requests.length;
    const other = await runbooks(l, ['apply', '--env', 'other', planDir]);
    assert.equal(other.code, 32, other.out);
    assert.match(other.out, /was made for environment stage \(\S+\), not other/);

    const optIn = await runbooks(l, ['apply', '--env', 'stage', '--allow-destructive', planDir]);
    assert.equal(optIn.code, 36, optIn.out);
    assert.match(optIn.out, /was made without --allow-destructive/);

    const none = await runbooks(l, ['apply', '--env', 'stage']);
    assert.equal(none.code, 30, none.out);
    assert.match(
      none.out,
      /apply needs a plan: nodegroup-runbooks apply --env NAME reports\/plans\/<plan-id>/,
    );
    const missing = await runbooks(l, ['apply', '--env', 'stage', join(dir, 'no-such-plan')]);
    assert.equal(missing.code, 30, missing.out);

    const damaged = join(dir, 'damaged');
    cpSync(planDir, damaged, { recursive: true });
    writeFileSync(join(damaged, 'plan.json'), readFileSync(join(planDir, 'plan.json'), 'utf8').slice(0, 200));
    const broken = await runbooks(l, ['apply', '--env', 'stage', damaged]);
    assert.equal(broken.code, 31, broken.out);
    assert.match(broken.out, /plan\.json is damaged: not JSON/);
    writeFileSync(join(damaged, 'plan.json'), JSON.stringify({ ...plan, features: [] }));
    const noHashes = await runbooks(l, ['apply', '--env', 'stage', damaged]);
    assert.equal(noHashes.code, 31, noHashes.out);
    assert.match(noHashes.out, /is damaged \(no feature hashes\)/);
    copyFileSync(join(planDir, 'plan.json'), join(damaged, 'plan.json'));
    writeFileSync(join(damaged, 'twin.json'), '{"resourceVersion": 1, "objects": {}}');
    const noTwin = await runbooks(l, ['apply', '--env', 'stage', damaged]);
    assert.equal(noTwin.code, 31, noTwin.out);
    assert.match(noTwin.out, /the plan's twin is damaged/);

    assert.deepEqual(writesSince(l.proxy, from), []);
  });

  test('--apply and --plan of npm run runbooks are the same commands', async () => {
    const run = await runbooks(l, ['run', '--env', 'stage', '--apply']);
    assert.equal(run.code, 30, run.out);
    const plan = await runbooks(l, ['run', '--env', 'stage', '--plan', OPERATION]);
    assert.equal(plan.code, 0, plan.out);
    assert.match(plan.out, /^plan \S+: on the twin of stage/m);
  });

  // Last: the proxy keeps refusing from here on.
  test('live no longer readable by the drift check (RBAC): the kind and permission, exit 35, nothing sent', async () => {
    const planDir = await freshPlan([OPERATION]);
    l.proxy.refuse(/^\/api\/v1\/namespaces$/, 403);
    const from = l.proxy.requests.length;
    const run = await runbooks(l, ['apply', '--env', 'stage', planDir]);
    assert.equal(run.code, 35, run.out);
    assert.match(run.out, /the twin cannot read one kind it needs/);
    assert.match(run.out, /namespaces/);
    assert.deepEqual(writesSince(l.proxy, from), []);
  });
});
