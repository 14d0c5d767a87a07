/**
 * The workspace API version comes from discovery: against the sandbox (KubeSphere 4.1: v1beta1
 * preferred, v1alpha1 still answering) the reader uses v1beta1; against a server that serves only
 * v1alpha1 it uses v1alpha1; without a discovery answer it keeps the table's version. One
 * discovery read per reader, however many reads.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeReader } from '../../src/kube/reader';
import { RESOURCES } from '../../src/kube/resources';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const TENANT = 'tenant.kubesphere.io';
let sandbox: Sandbox;
let dir: string;
let server: Server;
let paths: string[] = [];
/** What the fake serves: the tenant group's discovery document (undefined: 404). */
let discovery: unknown;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-version-'));
  sandbox = await startSandbox();
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    paths.push(path);
    res.setHeader('content-type', 'application/json');
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.end(JSON.stringify(body));
    };
    if (path === `/apis/${TENANT}`)
      return discovery ? json(200, discovery) : json(404, { kind: 'Status', code: 404 });
    const m = new RegExp(`^/apis/${TENANT}/v1alpha1/workspaces(?:/(.+))?$`).exec(path);
    if (!m) return json(404, { kind: 'Status', code: 404, reason: 'NotFound' });
    const ws = (name: string) => ({
      apiVersion: `${TENANT}/v1alpha1`,
      kind: 'Workspace',
      metadata: { name },
    });
    return m[1]
      ? json(200, ws(m[1]))
      : json(200, { kind: 'WorkspaceList', items: [ws('team-a')], metadata: { resourceVersion: '3' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await sandbox.stop();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const fakeReader = () => {
  const file = join(dir, `kc-${paths.length}.yaml`);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    file,
    `{"clusters":[{"name":"c","cluster":{"server":"${url}"}}],"users":[{"name":"u","user":{"token":"t"}}],` +
      '"contexts":[{"name":"x","context":{"cluster":"c","user":"u"}}],"current-context":"x"}',
  );
  return KubeReader.fromKubeconfig(file);
};

describe('workspace API version from discovery', () => {
  test('the sandbox prefers v1beta1: the reader reads and waits on workspaces with it', async () => {
    const reader = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
    assert.equal((await reader.resolve(RESOURCES.workspace)).apiVersion, `${TENANT}/v1beta1`);
    const ws = await reader.get(RESOURCES.workspace, 'team-a');
    assert.equal(ws?.apiVersion, `${TENANT}/v1beta1`);
    const listed = await reader.list(RESOURCES.workspace);
    assert.ok(listed.items.some((w) => w.metadata.name === 'team-b'));
    const waited = await reader.waitFor(RESOURCES.workspace, 'team-a', (w) => w !== undefined, {
      timeoutMs: 5_000,
    });
    assert.equal(waited?.apiVersion, `${TENANT}/v1beta1`);
  });

  test('a server serving only v1alpha1 is read with v1alpha1, discovery asked once', async () => {
    discovery = {
      kind: 'APIGroup',
      name: TENANT,
      versions: [{ groupVersion: `${TENANT}/v1alpha1`, version: 'v1alpha1' }],
      preferredVersion: { groupVersion: `${TENANT}/v1alpha1`, version: 'v1alpha1' },
    };
    paths = [];
    const reader = fakeReader();
    assert.equal((await reader.get(RESOURCES.workspace, 'team-a'))?.metadata.name, 'team-a');
    assert.equal((await reader.list(RESOURCES.workspace)).items.length, 1);
    assert.deepEqual(paths, [
      `/apis/${TENANT}`,
      `/apis/${TENANT}/v1alpha1/workspaces/team-a`,
      `/apis/${TENANT}/v1alpha1/workspaces`,
    ]);
  });

  test("without a discovery answer the table's version is used", async () => {
    discovery = undefined;
    paths = [];
    const reader = fakeReader();
    assert.equal((await reader.resolve(RESOURCES.workspace)).apiVersion, RESOURCES.workspace.apiVersion);
    assert.equal((await reader.get(RESOURCES.workspace, 'team-a'))?.metadata.name, 'team-a');
    // Resources without `preferredOf` never ask discovery.
    assert.equal(await reader.resolve(RESOURCES.node), RESOURCES.node);
  });
});
