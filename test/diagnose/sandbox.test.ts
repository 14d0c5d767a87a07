/**
 * The diagnosis against a started sandbox: the healthy fixture is all-pass, and each injected
 * fault is found with the right finding. Where the finding's next command is the repair, the test
 * runs that exact command (kubectl or nodegroup-api, through a shell) and checks the state heals.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { NODE_GROUP_LABEL, NODE_SELECTOR_ANNOTATION } from '../../src/constants';
import {
  type ClusterSource,
  type Diagnosis,
  diagnose,
  type Finding,
  kapiSource,
  kubeReaderSource,
  type Target,
} from '../../src/diagnose';
import { KapiClient } from '../../src/kapi/client';
import { bindTarget, deleteNodeGroup } from '../../src/kapi/nodegroups';
import { KubeReader } from '../../src/kube/reader';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const run = promisify(execFile);
const G = 'edge-a';
const CLI = resolve(__dirname, '../../../bin/nodegroup-api.js');

let sb: Sandbox;
let client: KapiClient;
let source: ClusterSource;
let work: string;
let shellEnv: Record<string, string>;

before(async () => {
  sb = await startSandbox();
  client = new KapiClient({ host: sb.url, credentials: { username: sb.username, password: sb.password } });
  source = kubeReaderSource(KubeReader.fromKubeconfig(sb.kubeconfigPath));
  // A shell where `nodegroup-api` and `kubectl` reach the sandbox, with a fresh HOME and kubectl cache.
  work = mkdtempSync(join(tmpdir(), 'diagnose-'));
  writeFileSync(join(work, 'nodegroup-api'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(work, 'nodegroup-api'), 0o755);
  shellEnv = {
    PATH: `${work}:${process.env['PATH']}`,
    HOME: work,
    KUBECACHEDIR: join(work, 'kube-cache'),
    ...sb.env,
  };
});
after(async () => {
  await client.close();
  await sb.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => sb.reset());

/** Run a recommended command exactly as printed. */
const shell = (command: string) => run('sh', ['-c', command], { env: shellEnv, timeout: 30_000 });

/** Diagnose until `holds` (the controller converges asynchronously), with a deadline. */
async function diagnoseUntil(
  target: Target,
  holds: (d: Diagnosis) => boolean,
  what: string,
): Promise<Diagnosis> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const diagnosis = await diagnose(source, target);
    if (holds(diagnosis)) return diagnosis;
    if (Date.now() > deadline)
      assert.fail(`timed out waiting for ${what}:\n${JSON.stringify(diagnosis, null, 2)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const statuses = (d: Diagnosis) => d.findings.map((f) => `${f.check.id}:${f.status}`);
const allPass = (d: Diagnosis) => d.findings.every((f) => f.status === 'pass');
const failing = (d: Diagnosis, id: string): Finding | undefined =>
  d.findings.find((f) => f.check.id === id && f.status === 'fail');

describe('healthy', () => {
  test('the fixture group, and a group with a node, a namespace and a workspace bound, are all-pass', async () => {
    const plain = await diagnoseUntil({ nodegroup: G }, allPass, 'the fixture to be all-pass');
    assert.equal(plain.healthy, true);
    assert.equal(plain.findings.length, 7);
    await bindTarget(client, 'node', G, 'edge-node-1');
    await bindTarget(client, 'workspace', G, 'team-a');
    await bindTarget(client, 'namespace', G, 'edge-apps');
    const target = { nodegroup: G, node: 'edge-node-1', namespace: 'edge-apps', workspace: 'team-a' };
    const bound = await diagnoseUntil(
      target,
      (d) => allPass(d) && /3 namespace/.test(d.findings[3]!.summary),
      'bindings',
    );
    assert.deepEqual(statuses(bound), [
      'resource-exists:pass',
      'finalizer:pass',
      'node-labels:pass',
      'namespace-workspace:pass',
      'ippool-sync:pass',
      'config-enabled:pass',
      'controller-health:pass',
    ]);
    assert.match(bound.findings[3]!.summary, /demo-app, demo-db, edge-apps|edge-apps, demo-app, demo-db/);
    // The same through ks-apiserver with the KAPI client: same findings.
    assert.deepEqual(statuses(await diagnose(kapiSource(client), target)), statuses(bound));
  });
  test('a group that does not exist is a finding, not a crash', async () => {
    const d = await diagnose(source, { nodegroup: 'no-such-group' });
    assert.equal(d.healthy, false);
    assert.equal(d.findings[0]!.status, 'fail');
    assert.equal(d.findings[0]!.nextCommand, 'nodegroup-api nodegroup list');
  });
});

describe('faults', () => {
  test('controller paused: controller-manager not Ready, the bind stays pending', async () => {
    await diagnoseUntil({ nodegroup: G }, allPass, 'the fixture');
    sb.faults.set('controller-paused', {});
    await bindTarget(client, 'node', G, 'worker-1');
    const d = await diagnose(source, { nodegroup: G, node: 'worker-1' });
    const controller = failing(d, 'controller-health')!;
    assert.match(controller.summary, /^nodegroup-controller-manager: .* Running, Ready=False$/);
    assert.match(controller.likelyCause!, /nothing converges.*pending: node\/worker-1 -> edge-a/);
    assert.equal(failing(d, 'node-labels')!.summary, `node worker-1: bind to ${G} requested, not applied`);
    sb.faults.remove('controller-paused');
    await diagnoseUntil({ nodegroup: G, node: 'worker-1' }, allPass, 'the bind to converge after unpause');
  });

  test('stuck finalizer: found, and the recommended kubectl patch lets the delete finish', async () => {
    sb.faults.set('stuck-finalizer', { nodegroup: G });
    await deleteNodeGroup(client, G);
    const d = await diagnoseUntil(
      { nodegroup: G },
      (x) => !!failing(x, 'finalizer'),
      'the finalizer finding',
    );
    const f = failing(d, 'finalizer')!;
    assert.match(f.summary, /finalizer finalizers.nodegroups.kubesphere.io stuck with no node bound/);
    assert.match(f.nextCommand!, /^kubectl patch nodegroup edge-a --type=json -p '\[\{"op":"test"/);
    await shell(f.nextCommand!);
    const gone = await diagnoseUntil(
      { nodegroup: G },
      (x) => x.findings[0]!.status === 'fail',
      'the group to go',
    );
    assert.equal(gone.findings[0]!.summary, `nodegroup ${G} not found`);
  });

  test('delete hanging while nodes are bound: the recommended unbinds let it finish', async () => {
    await bindTarget(client, 'node', G, 'edge-node-1');
    await bindTarget(client, 'node', G, 'edge-node-2');
    await diagnoseUntil(
      { nodegroup: G },
      (x) => /2 node\(s\)/.test(x.findings[2]!.summary),
      'two nodes bound',
    );
    await deleteNodeGroup(client, G);
    const d = await diagnoseUntil({ nodegroup: G }, (x) => !!failing(x, 'finalizer'), 'the hanging delete');
    const f = failing(d, 'finalizer')!;
    assert.equal(f.summary, 'delete hangs: 2 node(s) still bound: edge-node-1, edge-node-2');
    assert.ok(f.evidence.events.some((e) => e.startsWith('Warning NodesStillBound NodeGroup/edge-a')));
    assert.equal(
      f.nextCommand,
      'nodegroup-api unbind node --nodegroup edge-a --node edge-node-1 && nodegroup-api unbind node --nodegroup edge-a --node edge-node-2',
    );
    await shell(f.nextCommand!);
    await diagnoseUntil({ nodegroup: G }, (x) => x.findings[0]!.status === 'fail', 'the delete to finish');
  });

  test('IPPool sync failing: condition, Warning event, and the namespace left without its annotation', async () => {
    await diagnoseUntil({ nodegroup: G }, allPass, 'the fixture');
    sb.faults.set('ippool-sync', {});
    await bindTarget(client, 'namespace', G, 'edge-apps');
    const target = { nodegroup: G, namespace: 'edge-apps' };
    const d = await diagnoseUntil(
      target,
      (x) => !!failing(x, 'ippool-sync') && !!failing(x, 'namespace-workspace'),
      'sync failure',
    );
    const pool = failing(d, 'ippool-sync')!;
    assert.equal(pool.summary, 'IPPool edge-a-ippool not synced: IPPoolSyncFailed');
    assert.match(pool.likelyCause!, /failed to sync IPPool edge-a-ippool/);
    assert.ok(pool.evidence.events.some((e) => e.startsWith('Warning IPPoolSyncFailed NodeGroup/edge-a')));
    const ns = failing(d, 'namespace-workspace')!;
    assert.match(
      ns.summary,
      /namespace edge-apps: annotation infra.kubesphere.io\/ippool-edge-a is not edge-a-ippool/,
    );
    assert.equal(ns.nextCommand, 'kubectl get ippools -l infra.kubesphere.io/ippool-edge-a=edge-a -o yaml');
    sb.faults.remove('ippool-sync');
    await diagnoseUntil(target, allPass, 'the sync to recover');
  });

  test('config section disabled by a ConfigMap edit: warning, and its patch re-enables it', async () => {
    await client.call({
      method: 'PATCH',
      path: '/api/v1/namespaces/kubesphere-system/configmaps/nodegroup-config',
      contentType: 'application/merge-patch+json',
      body: {
        data: {
          'nodegroup.yaml':
            'scheduling:\n  enabled: false\npolicy:\n  enabled: true\nrbac:\n  enabled: true\nippool:\n  enabled: true\n',
        },
      },
    });
    await bindTarget(client, 'namespace', G, 'edge-apps');
    const target = { nodegroup: G, namespace: 'edge-apps' };
    const d = await diagnoseUntil(
      target,
      (x) =>
        x.findings.some((f) => f.check.id === 'config-enabled' && f.status === 'warn') &&
        allPassExceptConfig(x),
      'the warning',
    );
    const config = d.findings.find((f) => f.check.id === 'config-enabled')!;
    assert.equal(config.summary, 'disabled in nodegroup-config: scheduling');
    assert.match(config.likelyCause!, /scheduling disabled: bound namespaces get no scheduling annotation/);
    assert.match(
      d.findings.find((f) => f.check.id === 'namespace-workspace')!.summary,
      /scheduling disabled/,
    );
    assert.equal(d.healthy, true);
    await shell(config.nextCommand!);
    const healed = await diagnoseUntil(target, allPass, 'scheduling to be enabled');
    const ns = healed.findings.find((f) => f.check.id === 'namespace-workspace')!;
    assert.equal(
      (ns.evidence.objects[0]!['annotations'] as Record<string, string>)[NODE_SELECTOR_ANNOTATION],
      `${NODE_GROUP_LABEL}=${G}`,
    );
  });

  test('node label edited by hand: drift found, and the kubectl label repair heals it', async () => {
    await bindTarget(client, 'node', G, 'edge-node-1');
    await diagnoseUntil({ nodegroup: G }, (x) => /edge-node-1/.test(x.findings[2]!.summary), 'the bind');
    await shell(`kubectl label node edge-node-1 ${NODE_GROUP_LABEL}=edge-b --overwrite`);
    const d = await diagnoseUntil({ nodegroup: G }, (x) => !!failing(x, 'node-labels'), 'the drift');
    const f = failing(d, 'node-labels')!;
    assert.equal(
      f.summary,
      `node edge-node-1: label drift, ${NODE_GROUP_LABEL}=edge-b though it was bound to ${G}`,
    );
    assert.equal(f.nextCommand, `kubectl label node edge-node-1 ${NODE_GROUP_LABEL}=${G} --overwrite`);
    await shell(f.nextCommand!);
    await diagnoseUntil({ nodegroup: G }, allPass, 'the label repair');
  });
});

const allPassExceptConfig = (d: Diagnosis) =>
  d.findings.every((f) => f.status === 'pass' || f.check.id === 'config-enabled');
