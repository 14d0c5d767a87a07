/**
 * Twin import against a standalone sandbox as the live environment (its own process, reached only
 * over HTTP through a recording proxy): the twin serves what the source serves, the source is
 * unchanged and saw only reads, nothing secret is copied, and a kind the credentials may not read
 * is named with its permission.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main as twinCommand } from '../../scripts/twin';
import { readStateFile, startSandbox } from '../../src/sandbox/sandbox';
import { TwinForbiddenError } from '../../src/twin/errors';
import { importTwin, readTwinFile } from '../../src/twin/import';
import {
  directTarget,
  proxiedTarget,
  type RecordingProxy,
  type Standalone,
  startProxy,
  startStandalone,
} from './live-sandbox';
import { accessToken, snapshot, visible } from './snapshot';

let dir: string;
let live: Standalone;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-import-'));
  live = await startStandalone(dir);
});
after(async () => {
  await live?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sink = () => {
  let text = '';
  return { write: (s: string) => (text += s), text: () => text };
};

describe('twin import from a live environment', () => {
  let proxy: RecordingProxy;
  before(async () => {
    proxy = await startProxy(live.url);
  });
  after(() => proxy.close());

  test('only reads: every request is a GET but the login, and the source is unchanged', async () => {
    const before = await snapshot(live.url, live.token);
    const imported = await importTwin(proxiedTarget(live, proxy, dir));
    const afterwards = await snapshot(live.url, live.token);
    assert.deepEqual(afterwards, before, 'the source changed');

    const notGet = proxy.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(notGet, ['POST /oauth/token']);
    assert.ok(
      proxy.requests.some((r) => r.path.startsWith('/kapis/infra.kubesphere.io/v1alpha1/nodegroups')),
    );
    assert.ok(proxy.requests.some((r) => r.path.startsWith('/api/v1/nodes')));
    // the import's own count agrees with what the proxy saw
    assert.equal(imported.requests.length, proxy.requests.length);
    assert.deepEqual(
      imported.requests.map((r) => r.method).sort(),
      proxy.requests.map((r) => r.method).sort(),
    );
    assert.deepEqual(imported.notServed, []);
  });

  test('a twin started from the state serves the same nodegroups, nodes, namespaces, workspaces', {
    timeout: 20_000,
  }, async () => {
    const imported = await importTwin(proxiedTarget(live, proxy, dir));
    const twin = await startSandbox({ state: imported.state });
    try {
      const twinToken = await accessToken(twin.url, twin.username, twin.password);
      for (const kind of [
        'nodegroup',
        'node',
        'namespace',
        'workspace',
        'workspacetemplate',
        'ippool',
      ] as const) {
        assert.deepEqual(
          await visible(twin.url, twinToken, kind),
          await visible(live.url, live.token, kind),
          `${kind}s differ`,
        );
      }
      const config = twin.store.get('configmaps', 'kubesphere-system', 'nodegroup-config');
      assert.ok((config['data'] as Record<string, string>)['nodegroup.yaml']?.includes('scheduling'));
      assert.equal(twin.store.list('deployments', { namespace: 'kubesphere-system' }).items.length, 2);
      assert.equal(twin.store.list('pods', { namespace: 'kubesphere-system' }).items.length, 2);
      // the twin works as a sandbox: a bind through its KAPI is applied by its controller
      const labelled = new Promise<void>((resolve) => {
        const stop = twin.store.watch('nodes', { fieldSelector: 'metadata.name=worker-3' }, (e) => {
          if (e.object.metadata.labels?.['apps.edgewize.io/nodegroup'] !== 'edge-a') return;
          stop();
          resolve();
        });
      });
      const bind = await fetch(
        `${twin.url}/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/nodes/worker-3`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${twinToken}` },
        },
      );
      assert.equal(bind.status, 200, await bind.text());
      await labelled;
      // reset returns to the imported state (left as imported), not to the fixture
      twin.store.create('namespaces', { metadata: { name: 'only-in-twin' } });
      twin.reset();
      assert.equal(twin.store.has('namespaces', undefined, 'only-in-twin'), false);
      const worker3 = twin.store.get('nodes', undefined, 'worker-3');
      assert.equal(worker3.metadata.labels?.['apps.edgewize.io/nodegroup'], undefined);
      const imported3 = imported.state.objects['nodes']!.find((n) => n.metadata.name === 'worker-3');
      assert.equal(imported3?.metadata.labels?.['apps.edgewize.io/nodegroup'], undefined);
      assert.equal(twin.store.list('nodes').items.length, imported.state.objects['nodes']!.length);
    } finally {
      await twin.stop();
    }
  });

  test('a missing RBAC permission names the kind and the permission, and nothing is written', async () => {
    const refusing = await startProxy(live.url);
    refusing.refuse(/^\/apis\/network\.kubesphere\.io\/v1alpha1\/ippools$/, 403);
    refusing.refuse(/^\/kapis\/infra\.kubesphere\.io\/v1alpha1\/nodegroups$/, 403);
    try {
      const out = join(dir, 'refused.json');
      const err = sink();
      await assert.rejects(
        twinCommand(['--out', out], {
          out: sink(),
          err,
          env: {},
          target: proxiedTarget(live, refusing, dir),
        }),
        (e: unknown) => {
          assert.ok(e instanceof TwinForbiddenError);
          assert.deepEqual(
            e.forbidden.map((f) => `${f.kind} ${f.verb} ${f.resource} ${f.group}`),
            ['NodeGroup list nodegroups infra.kubesphere.io', 'IPPool list ippools network.kubesphere.io'],
          );
          assert.match(e.message, /cannot read 2 kinds/);
          assert.match(
            e.message,
            /IPPool \(ippools\.network\.kubesphere\.io\): 403 Forbidden .*RBAC "list" on "ippools" in API group "network\.kubesphere\.io" cluster-wide \(check: kubectl auth can-i list ippools\.network\.kubesphere\.io\)/,
          );
          return true;
        },
      );
      assert.throws(() => readFileSync(out), /ENOENT/);
      assert.deepEqual(
        refusing.requests.filter((r) => r.method !== 'GET').map((r) => r.path),
        ['/oauth/token'],
      );
    } finally {
      await refusing.close();
    }
  });

  test('a kind the environment does not serve (404) is imported as not served', async () => {
    const without = await startProxy(live.url);
    without.refuse(/^\/apis\/network\.kubesphere\.io\//, 404);
    try {
      const imported = await importTwin(proxiedTarget(live, without, dir));
      assert.deepEqual(imported.notServed, ['ippools']);
      assert.equal(imported.state.objects['ippools'], undefined);
      assert.ok(imported.state.objects['nodes']!.length > 0);
    } finally {
      await without.close();
    }
  });
});

describe('npm run twin -- --out FILE', () => {
  test('writes a state file the sandbox command starts from, with no secret in it', async () => {
    const file = join(dir, 'twin.json');
    const out = sink();
    const code = await twinCommand(['--out', file], {
      out,
      err: sink(),
      env: {},
      target: directTarget(live),
    });
    assert.equal(code, 0);
    assert.match(out.text(), /written to .*twin\.json: \d+ nodegroups, 6 nodes/);
    assert.match(out.text(), /sent: \d+ GET and POST \/oauth\/token \(nothing was written\)/);
    assert.match(
      out.text(),
      /start a twin: cp .*twin\.json twin-run\.json && nodegroup-sandbox --state twin-run\.json/,
    );

    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /managedFields/);
    assert.ok(!text.includes(live.token), 'the token was copied');
    assert.ok(!text.includes(live.env['KUBESPHERE_PASSWORD']!), 'the password was copied');
    const { state, readSet } = readTwinFile(file);
    assert.equal(readStateFile(file).resourceVersion, state.resourceVersion); // the sandbox's own reader
    const worker = readSet.entries.find((e) => e.kind === 'Node' && e.name === 'worker-1');
    assert.match(worker?.resourceVersion ?? '', /^\d+$/);
    assert.match(worker?.hash ?? '', /^sha256:[0-9a-f]{64}$/);

    const twinDir = mkdtempSync(join(dir, 'twin-'));
    const run = join(twinDir, 'twin-run.json');
    copyFileSync(file, run); // the sandbox saves over its --state file on stop
    const twin = await startStandalone(twinDir, ['--state', run]);
    try {
      for (const kind of ['nodegroup', 'node', 'namespace', 'workspace'] as const) {
        assert.deepEqual(
          await visible(twin.url, twin.token, kind),
          await visible(live.url, live.token, kind),
          `${kind}s differ`,
        );
      }
    } finally {
      await twin.stop();
    }
  });

  test('bad usage: neither or both of --out and --drift', async () => {
    for (const argv of [[], ['--out', 'a', '--drift', 'b']]) {
      const err = sink();
      assert.equal(await twinCommand(argv, { out: sink(), err, env: {} }), 2);
      assert.match(err.text(), /pass exactly one of --out FILE .* or --drift FILE/);
    }
  });

  test('no environment named: the message says which variable to set', async () => {
    await assert.rejects(
      twinCommand(['--out', join(dir, 'x.json')], { out: sink(), err: sink(), env: {} }),
      /no environment to read: export KUBESPHERE_HOST=/,
    );
  });
});
