/**
 * The reader's plain reads go straight over node:http(s) when the kubeconfig's credentials are
 * data (token, token file, client certificate, CA): a run's reads before its first step load no
 * @kubernetes/client-node. A kubeconfig whose user needs a plugin (exec) still reads, through it.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { directAccess } from '../../src/kube/direct';
import { loadKubeconfig } from '../../src/kube/kubeconfig';
import { KubeReader } from '../../src/kube/reader';
import { RESOURCES } from '../../src/kube/resources';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const dist = join(__dirname, '..', '..');
let sandbox: Sandbox;
let dir: string;
let server: Server;
let seen: IncomingHttpHeaders[] = [];

const kubeconfig = (user: string, url: string) => {
  const file = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]`,
      `users: [{name: u, user: ${user}}]`,
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );
  return file;
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'direct-reads-'));
  sandbox = await startSandbox();
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'NamespaceList', items: [], metadata: { resourceVersion: '7' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await sandbox.stop();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});
const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('reads without client-node', () => {
  test('a fresh process reads the sandbox (https, CA, token) and client-node stays unloaded', async () => {
    const script = `
      const { KubeReader } = require(${JSON.stringify(join(dist, 'src/kube/reader.js'))});
      const { RESOURCES } = require(${JSON.stringify(join(dist, 'src/kube/resources.js'))});
      const reader = KubeReader.fromKubeconfig(${JSON.stringify(sandbox.kubeconfigPath)});
      reader.list(RESOURCES.namespace).then(({ items }) => {
        const loaded = Object.keys(require.cache).some((f) => f.includes('@kubernetes/client-node'));
        console.log(JSON.stringify({ names: items.map((n) => n.metadata.name), loaded, server: reader.server }));
      }, (err) => { console.error(err); process.exit(1); });`;
    // Not spawnSync: the sandbox answering the child runs in this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' });
    const out = JSON.parse(run.stdout) as { names: string[]; loaded: boolean; server: string };
    assert.ok(out.names.includes('kube-system'), run.stdout);
    assert.equal(out.loaded, false, 'client-node was loaded for a plain read');
    assert.equal(out.server, sandbox.kubeUrl);
  });

  test('a token file is read at each request (it rotates)', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'first\n');
    const reader = KubeReader.fromKubeconfig(kubeconfig(`{tokenFile: "${tokenFile}"}`, url()));
    seen = [];
    await reader.list(RESOURCES.namespace);
    writeFileSync(tokenFile, 'second\n');
    await reader.get(RESOURCES.namespace, 'x');
    assert.deepEqual(
      seen.map((h) => h.authorization),
      ['Bearer first', 'Bearer second'],
    );
  });

  test('a user needing a plugin (exec) is left to client-node, and still reads', async () => {
    const file = kubeconfig(
      `{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ${JSON.stringify(process.execPath)}, args: ["-e", "console.log(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: {token: 'from-exec'}}))"]}}`,
      url(),
    );
    assert.equal(directAccess(loadKubeconfig({ path: file })), undefined);
    seen = [];
    const reader = KubeReader.fromKubeconfig(file);
    await reader.list(RESOURCES.namespace);
    assert.equal(seen[0]?.authorization, 'Bearer from-exec');
    assert.ok(readFileSync(file, 'utf8').includes('exec'));
  });

  test('an unreachable server is a coded KUBE_UNREACHABLE error, as through client-node', async () => {
    const reader = KubeReader.fromKubeconfig(kubeconfig('{token: t}', 'http://127.0.0.1:9'));
    await assert.rejects(reader.list(RESOURCES.namespace), { code: 'KUBE_UNREACHABLE' });
  });
});
