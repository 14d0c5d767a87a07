/**
 * The troubleshooting runbooks with the live profile, against an embedded sandbox posing as a live
 * target: the scenarios that stage a symptom are skipped saying why, the diagnose-only scenarios
 * run, and nothing is changed. A real problem there fails the runbook with the command to run; with
 * the destructive opt-in the runbook runs that command and the repair stays.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../../src/constants';
import { KubeReader } from '../../src/kube/reader';
import { diffState, type StateSnapshot, snapshotState } from '../../src/runbook';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { runRunbooks } from '../cucumber-harness';

const scratch = mkdtempSync(join(tmpdir(), 'troubleshoot-live-'));
let sandbox: Sandbox;
let reader: KubeReader;
let baseline: StateSnapshot;

before(async () => {
  sandbox = await startSandbox();
  reader = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
  baseline = await snapshotState(reader);
});
after(async () => {
  await sandbox.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A scenario of cucumber's json format; hooks are among its steps (keyword Before/After). */
interface JsonScenario {
  name: string;
  tags: { name: string }[];
  steps: {
    keyword: string;
    result: { status: string };
    embeddings?: { data: string; mime_type: string }[];
  }[];
}

const isHook = (step: { keyword: string }) => step.keyword === 'Before' || step.keyword === 'After';

/** The runbook runner against the sandbox posing as a live target (no destructive opt-in unless given). */
function live(args: string[], env: Record<string, string> = {}, profile = 'live') {
  return runRunbooks(['-p', profile, ...args], {
    HOME: scratch,
    RUNBOOK_REPORTS_DIR: join(scratch, 'reports'),
    KUBESPHERE_HOST: sandbox.url,
    KUBESPHERE_USERNAME: sandbox.username,
    KUBESPHERE_PASSWORD: sandbox.password,
    KUBECONFIG: sandbox.kubeconfigPath,
    RUNBOOK_VAR_NODEGROUP: 'edge-a',
    RUNBOOK_ALLOW_DESTRUCTIVE: '',
    ...env,
  });
}

// The json formatter writes every attachment base64-encoded, whatever its media type.
const decode = (e: { data: string }) => Buffer.from(e.data, 'base64').toString();

describe('the troubleshooting runbooks on a live target', () => {
  for (const allow of ['', '1']) {
    test(`staging scenarios are skipped with a note, diagnose-only ones pass, nothing changes${allow ? ' (opt-in)' : ''}`, async () => {
      const report = join(scratch, `live-${allow || 'off'}.json`);
      const { code, out } = await live(['features/troubleshooting', '--format', `json:${report}`], {
        RUNBOOK_ALLOW_DESTRUCTIVE: allow,
      });
      assert.equal(code, 0, out);
      const scenarios = (JSON.parse(readFileSync(report, 'utf8')) as { elements: JsonScenario[] }[]).flatMap(
        (f) => f.elements,
      );
      const staging = scenarios.filter((s) => s.tags.some((t) => t.name === '@sandbox-only'));
      const diagnoseOnly = scenarios.filter((s) => s.tags.some((t) => t.name === '@diagnose-only'));
      assert.ok(staging.length >= 7 && diagnoseOnly.length === 6, out);
      for (const s of staging) {
        assert.ok(
          s.steps.filter((step) => !isHook(step)).every((step) => step.result.status === 'skipped'),
          s.name,
        );
        const notes = s.steps.flatMap((h) => h.embeddings ?? []).map(decode);
        assert.ok(
          notes.some((n) => n.includes(`skipped on ${sandbox.url}`) && n.includes('@diagnose-only')),
          `${s.name}: ${notes.join(' | ')}`,
        );
      }
      for (const s of diagnoseOnly)
        assert.ok(
          s.steps.every((step) => step.result.status === 'passed'),
          s.name,
        );
      assert.deepEqual(sandbox.faults.list(), []);
      assert.deepEqual(diffState(baseline, await snapshotState(reader)), []);
    });
  }

  test('the readonly profile runs just the diagnoses', async () => {
    const { code, out } = await live(['features/troubleshooting'], {}, 'readonly');
    assert.equal(code, 0, out);
    assert.match(out, /scenarios 6 \(6 passed\)/);
    assert.deepEqual(diffState(baseline, await snapshotState(reader)), []);
  });

  test('a controller that is down fails the diagnose-only runbook with the restart to run; the opt-in runs it', async () => {
    sandbox.faults.set('controller-paused', {});
    const feature = 'features/troubleshooting/controller-down.feature';
    const refused = await live([feature]);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /check controller-health of nodegroup edge-a does not pass/);
    assert.match(
      refused.out,
      /next: kubectl rollout restart deployment\/nodegroup-controller-manager -n kubesphere-system/,
    );
    assert.ok(sandbox.faults.isOn('controller-paused'), 'not repaired without the opt-in');

    const repaired = await live([feature], { RUNBOOK_ALLOW_DESTRUCTIVE: '1' });
    assert.equal(repaired.code, 0, repaired.out);
    assert.ok(!sandbox.faults.isOn('controller-paused'), 'the restart ended the hang, and it stays ended');
    const deployment = sandbox.store.get('deployments', NODEGROUP_NAMESPACE, NODEGROUP_DEPLOYMENTS[1]);
    const template = (deployment.spec as { template: { metadata: { annotations?: Record<string, string> } } })
      .template;
    assert.ok(template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'restarted');
  });
});
