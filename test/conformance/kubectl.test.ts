/**
 * Conformance with kubectl, run as a user runs it against the kubeconfig the sandbox writes:
 * get (tables, -o yaml, svc), describe, label, annotate, patch (three types), wait, rollout
 * status, get -w.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

let sandbox: Sandbox;
let cacheDir: string;
before(async () => {
  sandbox = await startSandbox();
  cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
});
after(async () => {
  await sandbox.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

const base = () => ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir];
const kubectl = (...args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile('kubectl', [...base(), ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );

test('get: tables for nodes, pods, services, replicasets; -o yaml is the full object', async () => {
  assert.match(
    await kubectl('get', 'nodes'),
    /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n(.*\n)*edge-node-1\s+Ready/m,
  );
  const svc = await kubectl('get', 'svc', '-n', 'kubesphere-system');
  assert.match(svc, /nodegroup-apiserver\s+ClusterIP\s+10\.233\.12\.34\s+<none>\s+443\/TCP/);
  assert.match(
    await kubectl('get', 'rs', '-n', 'kubesphere-system'),
    /nodegroup-apiserver-7d9f8b6c5d\s+1\s+1\s+1/,
  );
  assert.match(await kubectl('get', 'endpoints', '-n', 'kubesphere-system'), /10\.233\.64\.11:9090/);
  const yaml = await kubectl('get', 'node', 'worker-1', '-o', 'yaml');
  assert.match(yaml, /bootID: /);
  assert.doesNotMatch(yaml, /generation:/);
  assert.doesNotMatch(await kubectl('get', 'ws', 'team-a', '-o', 'yaml'), /labels: \{\}/);
});

test('describe shows pods with their controller and conditions', async () => {
  const pods = await kubectl('get', 'pods', '-n', 'kubesphere-system', '-o', 'name');
  const pod = pods.split('\n')[0]!;
  const text = await kubectl('describe', '-n', 'kubesphere-system', pod);
  assert.match(text, /Controlled By:\s+ReplicaSet\/nodegroup-apiserver-7d9f8b6c5d/);
  assert.match(text, /Container ID:\s+containerd:\/\//);
  assert.match(await kubectl('describe', 'node', 'edge-node-1'), /Kernel Version:\s+5\.15/);
});

test('label, annotate and patch (strategic, merge, json) write what they say', async () => {
  await kubectl('label', 'node', 'worker-2', 'conf=1');
  await kubectl('annotate', 'node', 'worker-2', 'note=x');
  await kubectl('patch', 'node', 'worker-2', '-p', '{"metadata":{"labels":{"p":"s"}}}');
  await kubectl('patch', 'node', 'worker-2', '--type', 'merge', '-p', '{"metadata":{"labels":{"m":"1"}}}');
  await kubectl(
    'patch',
    'node',
    'worker-2',
    '--type',
    'json',
    '-p',
    '[{"op":"remove","path":"/metadata/labels/conf"}]',
  );
  const node = sandbox.store.get('nodes', undefined, 'worker-2');
  assert.equal(node.metadata.annotations?.note, 'x');
  assert.deepEqual(
    [node.metadata.labels?.p, node.metadata.labels?.m, node.metadata.labels?.conf],
    ['s', '1', undefined],
  );
  await kubectl('patch', 'ng', 'edge-a', '--type', 'merge', '-p', '{"spec":{"alias":"k"}}');
  assert.equal((sandbox.store.get('nodegroups', undefined, 'edge-a').spec as { alias: string }).alias, 'k');
});

test('wait and rollout status return once the condition holds', async () => {
  await kubectl('wait', '--for=condition=Ready', 'node/edge-node-1', '--timeout=20s');
  await kubectl('wait', '--for=jsonpath={.status.state}=active', 'nodegroup/edge-a', '--timeout=20s');
  await kubectl(
    'wait',
    '-n',
    'kubesphere-system',
    '--for=condition=Available',
    'deployment/nodegroup-apiserver',
    '--timeout=20s',
  );
  const status = await kubectl(
    'rollout',
    'status',
    '-n',
    'kubesphere-system',
    'deployment/nodegroup-apiserver',
    '--timeout=20s',
  );
  assert.match(status, /successfully rolled out/);
});

test('get -w streams a change as it happens', async () => {
  const child = spawn('kubectl', [...base(), 'get', 'nodes', '-w', '--request-timeout=30s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const seen = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`kubectl get -w never printed ${re}:\n${out}`)),
        30_000,
      );
      const check = () => {
        if (re.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        check();
      });
      check();
    });
  try {
    await seen(/edge-node-2/);
    const before = out.length;
    sandbox.store.mutate('nodes', undefined, 'worker-3', (n) => {
      n.metadata.labels = { ...n.metadata.labels, watched: 'yes' };
    });
    await seen(/worker-3[^\n]*\n[\s\S]*worker-3/);
    assert.ok(out.length > before);
  } finally {
    child.kill();
  }
});
