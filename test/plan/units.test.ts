/**
 * The plan's parts on their own: writes read from evidence (reads, the login and kubectl reads
 * left out), planned vs actual (as planned; a write not sent, one not planned, another answer,
 * another status; run names and kubeconfig left out), the change tracker on a real store, the
 * model constants of src/constants.ts, and plan.json's checks.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compareWithPlan } from '../../src/plan/compare';
import { PlanError } from '../../src/plan/errors';
import { modelConstants } from '../../src/plan/facts';
import { type PlannedScenario, readPlan } from '../../src/plan/plan-file';
import { ChangeTracker, type WatchableStore } from '../../src/plan/twin-changes';
import { kubectlWriteVerb, runWrites, type ScenarioWrites } from '../../src/plan/writes';
import type { RunRecord } from '../../src/runbook/evidence';
import { ObjectStore } from '../../src/sandbox/store/store';

const http = (method: string, url: string, status = 200, body?: unknown) => ({
  kind: 'http' as const,
  request: { method, url, headers: {}, ...(body ? { body } : {}) },
  response: { status, body: {} },
  durationMs: 1,
});
const kubectl = (command: string) => ({
  kind: 'kubectl' as const,
  command,
  exitCode: 0,
  stdout: '',
  stderr: '',
  durationMs: 1,
});

function run(runId: string, tag: string): RunRecord {
  return {
    runId,
    worker: '0',
    startedAt: '',
    target: { kind: 'live', host: 'h', kubeServer: 'k' },
    scenarios: [
      {
        name: 'bind',
        uri: 'a.feature',
        tags: [],
        steps: [
          {
            text: 'I bind',
            operations: [
              http('POST', 'http://h/oauth/token'),
              http('GET', 'http://h/kapis/x/nodegroups/g'),
              http('POST', `http://h/kapis/x/nodegroups/g-${tag}/nodes/n`),
              kubectl('kubectl get nodes'),
              kubectl(`kubectl --kubeconfig /tmp/${tag}/k label node n-${tag} a=b`),
            ],
          },
        ],
        cleanup: [http('DELETE', `http://h/kapis/x/nodegroups/g-${tag}/nodes/n`)],
      },
    ],
  };
}

describe('writes and planned vs actual', () => {
  test('writes: not the reads, not the login, not kubectl get; cleanup marked', () => {
    const [s] = runWrites([run('261202-aaaaaa', 'aaaaaa')]);
    assert.deepEqual(
      s!.writes.map((w) => `${w.step}: ${w.method} ${w.path}`),
      [
        'I bind: POST /kapis/x/nodegroups/g-aaaaaa/nodes/n',
        'I bind: label kubectl --kubeconfig /tmp/aaaaaa/k label node n-aaaaaa a=b',
        'cleanup: DELETE /kapis/x/nodegroups/g-aaaaaa/nodes/n',
      ],
    );
    assert.equal(kubectlWriteVerb('kubectl -n x rollout restart deploy/y'), 'rollout');
    assert.equal(kubectlWriteVerb('kubectl rollout status deploy/y'), undefined);
    assert.equal(kubectlWriteVerb('kubectl get nodes'), undefined);
  });

  const planned = (writes: ScenarioWrites, status = 'PASSED'): PlannedScenario[] => [
    { ...writes, status, steps: [], changes: [] },
  ];

  test('the same writes under other run names and kubeconfig: as planned', () => {
    const [p] = runWrites([run('261202-aaaaaa', 'aaaaaa')]);
    const a = runWrites([run('261203-bbbbbb', 'bbbbbb')]);
    const statuses = new Map([[a[0]!.key, 'PASSED']]);
    assert.deepEqual(
      compareWithPlan(planned(p!), a, statuses, { plan: '261202-aaaaaa', apply: '261203-bbbbbb' }),
      [],
    );
  });

  test('a write not sent, one not planned, another answer, another status, a scenario not run', () => {
    const [p] = runWrites([run('261202-aaaaaa', 'aaaaaa')]);
    const actual = runWrites([run('261203-bbbbbb', 'bbbbbb')]);
    const a = actual[0]!;
    a.writes[0] = { ...a.writes[0]!, result: 409 };
    a.writes[2] = { ...a.writes[2]!, method: 'PUT' };
    const diffs = compareWithPlan(
      [
        ...planned(p!),
        { ...p!, key: 'b.feature::other', name: 'other', status: 'PASSED', steps: [], changes: [] },
      ],
      actual,
      new Map([[a.key, 'FAILED']]),
      { plan: '261202-aaaaaa', apply: '261203-bbbbbb' },
    );
    assert.deepEqual(
      diffs.map((d) => `${d.scenario}: ${d.what}`),
      [
        'bind: PASSED on the twin, FAILED on live',
        'bind: POST /kapis/x/nodegroups/g-aaaaaa/nodes/n answered 409 on live, 200 on the twin',
        'bind: planned DELETE /kapis/x/nodegroups/g-aaaaaa/nodes/n was not sent',
        'bind: sent PUT /kapis/x/nodegroups/g-bbbbbb/nodes/n, not in the plan',
        'other: planned, but did not run',
      ],
    );
  });
});

describe('the change tracker on a store', () => {
  test("a scenario's change: before, after its steps, the fields, restored by the cleanup", () => {
    const store = new ObjectStore();
    store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: {} } });
    const tracker = new ChangeTracker(store as unknown as WatchableStore, ['nodes']);
    const feed = (e: object) => tracker.onMessage(e);
    feed({ pickle: { id: 'p', name: 'bind', uri: 'a.feature', steps: [{ id: 's1', text: 'I label n1' }] } });
    feed({
      testCase: {
        id: 'tc',
        pickleId: 'p',
        testSteps: [
          { id: 'ts1', pickleStepId: 's1' },
          { id: 'h', hookId: 'x' },
        ],
      },
    });
    feed({ testCaseStarted: { id: 'tcs', testCaseId: 'tc' } });
    feed({ testStepStarted: { testCaseStartedId: 'tcs', testStepId: 'ts1' } });
    const was = store.get('nodes', undefined, 'n1');
    store.update('nodes', { ...was, metadata: { ...was.metadata, labels: { a: 'b' } } });
    feed({
      testStepFinished: { testCaseStartedId: 'tcs', testStepId: 'ts1', testStepResult: { status: 'PASSED' } },
    });
    feed({ testStepStarted: { testCaseStartedId: 'tcs', testStepId: 'h' } });
    const now = store.get('nodes', undefined, 'n1');
    store.update('nodes', { ...now, metadata: { ...now.metadata, labels: {} } });
    feed({ testCaseFinished: { testCaseStartedId: 'tcs', willBeRetried: false } });
    tracker.stop();
    const [s] = tracker.scenarios;
    assert.deepEqual(s!.steps, [{ text: 'I label n1', status: 'PASSED' }]);
    assert.equal(s!.changes.length, 1);
    const [c] = s!.changes;
    assert.deepEqual([c!.resource, c!.name, c!.steps], ['nodes', 'n1', ['I label n1']]);
    assert.deepEqual(c!.fields, [{ path: 'metadata.labels.a', after: 'b' }]);
    assert.equal(c!.restored, true);
  });
});

describe('facts and plan.json', () => {
  test('the (model) constants of src/constants.ts, each with its value and what it is', () => {
    const model = modelConstants();
    const names = model.map((m) => m.name);
    assert.ok(names.includes('KUBESPHERE_VERSION') && names.includes('ippoolCidrOf'), names.join());
    assert.ok(!names.includes('NODE_GROUP_LABEL'), 'a (guide) constant is not a model choice');
    assert.ok(model.every((m) => m.about.length > 0 && !m.about.includes('*/')));
  });

  test('readPlan: no folder, no plan.json, not JSON, missing fields: each named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-units-'));
    try {
      const code = (f: () => unknown) => {
        try {
          f();
        } catch (err) {
          assert.ok(err instanceof PlanError, String(err));
          return `${err.code}: ${err.message}`;
        }
        return 'no error';
      };
      assert.match(
        code(() => readPlan(undefined)),
        /^PLAN_MISSING: apply needs a plan/,
      );
      assert.match(
        code(() => readPlan(join(dir, 'none'))),
        /^PLAN_MISSING: no plan at/,
      );
      mkdirSync(join(dir, 'p'));
      assert.match(
        code(() => readPlan(join(dir, 'p'))),
        /^PLAN_MISSING: .* holds no plan\.json/,
      );
      writeFileSync(join(dir, 'p', 'plan.json'), '{"version": 1');
      assert.match(
        code(() => readPlan(join(dir, 'p'))),
        /^PLAN_DAMAGED: .* not JSON/,
      );
      writeFileSync(join(dir, 'p', 'plan.json'), '{"version": 2, "args": []}');
      assert.match(
        code(() => readPlan(join(dir, 'p'))),
        /^PLAN_DAMAGED: .*\(version 2, not 1; no environment name and host; no vars; no feature hashes; no scenarios; no planId\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
