/**
 * Drift against a standalone sandbox as the live environment: right after an import nothing has
 * drifted; a hand edit (a label) is named by object and field; a namespace created and one
 * deleted since are listed; the re-read sends only reads; the command exits 1 on drift.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main as twinCommand } from '../../scripts/twin';
import { checkDrift, describeDrift } from '../../src/twin/drift';
import { importTwin, writeTwinFile } from '../../src/twin/import';
import {
  directTarget,
  proxiedTarget,
  type RecordingProxy,
  type Standalone,
  startProxy,
  startStandalone,
} from './live-sandbox';

let dir: string;
let live: Standalone;
let proxy: RecordingProxy;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-drift-'));
  live = await startStandalone(dir);
  proxy = await startProxy(live.url);
});
after(async () => {
  await proxy?.close();
  await live?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An edit by hand on the live environment, past the proxy (as another operator would). */
async function edit(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${live.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${live.token}`,
      'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${await res.text()}`);
}

const sink = () => {
  let text = '';
  return { write: (s: string) => (text += s), text: () => text };
};

describe('checkDrift', () => {
  test('no drift right after the import, and the re-read only reads', async () => {
    const target = proxiedTarget(live, proxy, dir);
    const imported = await importTwin(target);
    const sent = proxy.requests.length;
    const report = await checkDrift(imported.readSet, target, imported.state.objects);
    assert.deepEqual(report.drifted, []);
    assert.equal(describeDrift(report), 'no drift: every object read is unchanged');
    const reread = proxy.requests.slice(sent);
    assert.ok(reread.length >= 9, `only ${reread.length} requests re-read`);
    assert.deepEqual(
      reread.filter((r) => r.method !== 'GET').map((r) => r.path),
      ['/oauth/token'],
    );
  });

  test('a hand edit after the import: the object and the field, before and after', async () => {
    const target = directTarget(live);
    const imported = await importTwin(target);
    await edit('PATCH', '/api/v1/nodes/worker-2', {
      metadata: { labels: { 'kubernetes.io/os': 'windows' } },
    });
    await edit('POST', '/api/v1/namespaces', { metadata: { name: 'made-by-hand' } });
    try {
      const report = await checkDrift(imported.readSet, target, imported.state.objects);
      const node = report.drifted.find((d) => d.kind === 'Node');
      assert.deepEqual(
        report.drifted.map((d) => `${d.kind} ${d.name} ${d.change}`),
        ['Node worker-2 modified', 'Namespace made-by-hand created'],
      );
      assert.deepEqual(node?.fields, [
        { path: 'metadata.labels["kubernetes.io/os"]', before: 'linux', after: 'windows' },
      ]);
      assert.notEqual(node?.resourceVersion?.before, node?.resourceVersion?.after);
      const text = describeDrift(report);
      assert.match(text, /2 object\(s\) changed since the twin was read/);
      assert.match(text, /Node worker-2: modified \(resourceVersion \d+ -> \d+\)/);
      assert.match(text, /metadata\.labels\["kubernetes\.io\/os"\]: "linux" -> "windows"/);

      // without the imported content: still named, by resourceVersion and content hash
      const bare = await checkDrift(imported.readSet, target);
      assert.equal(bare.drifted.find((d) => d.kind === 'Node')?.fields, undefined);
      assert.equal(bare.drifted.length, 2);
    } finally {
      await edit('PATCH', '/api/v1/nodes/worker-2', {
        metadata: { labels: { 'kubernetes.io/os': 'linux' } },
      });
      await edit('DELETE', '/api/v1/namespaces/made-by-hand');
    }
  });

  test('a deleted object is drift too', async () => {
    const target = directTarget(live);
    await edit('POST', '/api/v1/namespaces', { metadata: { name: 'short-lived' } });
    const imported = await importTwin(target);
    await edit('DELETE', '/api/v1/namespaces/short-lived');
    const report = await checkDrift(imported.readSet, target, imported.state.objects);
    assert.deepEqual(
      report.drifted.map((d) => `${d.kind} ${d.name} ${d.change}`),
      ['Namespace short-lived deleted'],
    );
  });
});

describe('npm run twin -- --drift FILE', () => {
  test('exit 0 and "no drift" when unchanged; exit 1 naming the object and field after an edit', async () => {
    const target = directTarget(live);
    const file = join(dir, 'twin.json');
    writeTwinFile(file, await importTwin(target));
    const clean = sink();
    assert.equal(await twinCommand(['--drift', file], { out: clean, err: sink(), env: {}, target }), 0);
    assert.match(clean.text(), /^no drift/);
    assert.match(clean.text(), /sent to .*: \d+ GET and POST \/oauth\/token/);

    await edit('PATCH', '/api/v1/namespaces/demo-app', { metadata: { annotations: { owner: 'someone' } } });
    const drifted = sink();
    assert.equal(await twinCommand(['--drift', file], { out: drifted, err: sink(), env: {}, target }), 1);
    assert.match(drifted.text(), /Namespace demo-app: modified/);
    assert.match(drifted.text(), /metadata\.annotations\.owner: \(absent\) -> "someone"/);
  });

  test('a file that is not a twin is refused with what to do', async () => {
    const target = directTarget(live);
    await assert.rejects(
      twinCommand(['--drift', join(dir, 'missing.json')], { out: sink(), err: sink(), env: {}, target }),
      /cannot read the twin file .*missing\.json/,
    );
  });
});
