/**
 * The kubeconfig as kubectl reads it, against a real sandbox kube-apiserver (https): KUBECONFIG as
 * a list (missing files skipped, the first file to name a cluster or context wins, relative paths
 * relative to their file) read alike by client-node and by the real kubectl; a context missing
 * from the merged files (the known ones listed); no kubeconfig at all; a broken file (its line,
 * none of its text); and the pod's service account when KUBERNETES_SERVICE_HOST is set.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { EnvironmentError } from '../../src/environment/errors';
import { loadKubeconfig, SERVICE_ACCOUNT_DIR } from '../../src/kube/kubeconfig';
import { KubeReader } from '../../src/kube/reader';
import { RESOURCES } from '../../src/kube/resources';
import { Kubectl } from '../../src/runbook/actions/kubectl-runner';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

let sandbox: Sandbox;
let server: string;
let caPem: string;
let token: string;
const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
const emptyHome = join(dir, 'home');
mkdirSync(emptyHome);

before(async () => {
  sandbox = await startSandbox();
  const kc = parse(readFileSync(sandbox.kubeconfigPath, 'utf8'));
  server = kc.clusters[0].cluster.server;
  caPem = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
  token = kc.users[0].user.token;
});
after(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** File A: the real cluster (CA by a path relative to A), context a, current a. */
function fileA(): string {
  const sub = join(dir, 'a');
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, 'ca.pem'), caPem);
  const path = join(sub, 'config');
  writeFileSync(
    path,
    stringify({
      clusters: [{ name: 'sb', cluster: { server, 'certificate-authority': 'ca.pem' } }],
      users: [{ name: 'u', user: { token } }],
      contexts: [{ name: 'a', context: { cluster: 'sb', user: 'u' } }],
      'current-context': 'a',
    }),
  );
  return path;
}

/** File B: the same cluster name at an unreachable server, contexts b and a, current b. */
function fileB(): string {
  const path = join(dir, 'b.yaml');
  writeFileSync(
    path,
    stringify({
      clusters: [{ name: 'sb', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 'not-this-one' } }],
      contexts: [
        { name: 'b', context: { cluster: 'sb', user: 'u' } },
        { name: 'a', context: { cluster: 'elsewhere', user: 'u' } },
      ],
      'current-context': 'b',
    }),
  );
  return path;
}

const reject = (fn: () => unknown, code: string, message: RegExp) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EnvironmentError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });

describe('KUBECONFIG as a list', () => {
  test('merged as kubectl merges it: the first file wins, missing files are skipped', async () => {
    const list = [join(dir, 'missing.yaml'), fileA(), fileB()].join(delimiter);
    const reader = KubeReader.fromKubeconfig(undefined, undefined, { KUBECONFIG: list, HOME: emptyHome });
    assert.equal(reader.server, server, 'cluster sb is file A’s');
    assert.equal(reader.loaded?.context, 'a', "file A's current-context");
    assert.deepEqual(reader.loaded?.contexts, ['a', 'b']);
    const ns = await reader.get(RESOURCES.namespace, 'kube-system');
    assert.ok(ns?.metadata.uid);
    // Context b of file B, on cluster sb of file A (the first to name it).
    const viaB = KubeReader.fromKubeconfig(undefined, 'b', { KUBECONFIG: list });
    assert.equal((await viaB.get(RESOURCES.namespace, 'kube-system'))?.metadata.uid, ns.metadata.uid);
    // The other order: file B's cluster and current context win.
    const swapped = KubeReader.fromKubeconfig(undefined, undefined, {
      KUBECONFIG: `${fileB()}${delimiter}${fileA()}`,
    });
    assert.equal(swapped.server, 'https://127.0.0.1:1');
    assert.equal(swapped.loaded?.context, 'b');
  });

  test('the real kubectl reads the same list (as KUBECONFIG, not --kubeconfig)', async () => {
    const list = [fileA(), fileB()].join(delimiter);
    const loaded = loadKubeconfig({ env: { KUBECONFIG: list } });
    assert.equal(loaded.kubectlPath, list);
    const ops: unknown[] = [];
    const kubectl = new Kubectl(loaded.kubectlPath, 'b', (op) => ops.push(op));
    try {
      const out = await kubectl.run(['get', 'namespace', 'kube-system', '-o', 'name']);
      assert.equal(out.exitCode, 0, out.stderr);
      assert.equal(out.stdout.trim(), 'namespace/kube-system');
    } finally {
      kubectl.close();
    }
  });

  test('a context missing from the merged files lists the contexts there are', () => {
    const list = [fileA(), fileB()].join(delimiter);
    reject(
      () => KubeReader.fromKubeconfig(undefined, 'prod', { KUBECONFIG: list }),
      'ENV_CONTEXT_MISSING',
      /has no context "prod"; its contexts: a, b/,
    );
    reject(() => loadKubeconfig({ path: list, context: 'c' }), 'ENV_CONTEXT_MISSING', /its contexts: a, b/);
  });

  test('no kubeconfig anywhere, and a broken one (its line, none of its text)', () => {
    reject(
      () => loadKubeconfig({ env: { HOME: emptyHome } }),
      'ENV_KUBECONFIG',
      /no kubeconfig: .*home\/\.kube\/config does not exist, and this is not a pod/,
    );
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, `users:\n- name: u\n  user:\n    token: ${token}\n  bad: [x\n`);
    assert.throws(
      () => loadKubeconfig({ path: broken }),
      (err: unknown) =>
        err instanceof EnvironmentError &&
        err.code === 'ENV_KUBECONFIG' &&
        new RegExp(`${broken}: line \\d+, column \\d+: not valid YAML`).test(err.message) &&
        !err.message.includes(token),
    );
  });
});

describe('in a pod', () => {
  test("the service account's token and CA, for client-node and kubectl alike", async () => {
    const root = join(dir, 'pod');
    const sa = join(root, SERVICE_ACCOUNT_DIR);
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), token);
    writeFileSync(join(sa, 'ca.crt'), caPem);
    writeFileSync(join(sa, 'namespace'), 'ops\n');
    const url = new URL(server);
    const env = {
      HOME: emptyHome,
      KUBERNETES_SERVICE_HOST: url.hostname,
      KUBERNETES_SERVICE_PORT: url.port,
      RUNBOOK_SERVICE_ACCOUNT_ROOT: root,
    };
    const reader = KubeReader.fromKubeconfig(undefined, undefined, env);
    assert.equal(reader.server, server);
    assert.match(reader.loaded?.source ?? '', /the service account in .*serviceaccount/);
    assert.ok((await reader.get(RESOURCES.namespace, 'kube-system'))?.metadata.uid);
    // kubectl is given a kubeconfig of paths (tokenFile), no token in it.
    const path = reader.loaded!.kubectlPath;
    assert.ok(!readFileSync(path, 'utf8').includes(token));
    const kubectl = new Kubectl(path, undefined, () => {});
    try {
      const out = await kubectl.run(['get', 'namespace', 'kube-system', '-o', 'name']);
      assert.equal(out.exitCode, 0, out.stderr);
    } finally {
      kubectl.close();
    }
    // Without the token file it is not a pod: no kubeconfig.
    rmSync(join(sa, 'token'));
    assert.throws(() => loadKubeconfig({ env }), { code: 'ENV_KUBECONFIG' });
  });
});
