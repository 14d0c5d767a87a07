/**
 * Assertions on host objects of an embedded sandbox: any served kind resolved through discovery
 * (kind, plural, short name), a match that waits for a controller, a failure with a readable diff,
 * "does not match", and the bad inputs (unknown kind, missing namespace, a document that is no map).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { KubeReader } from '../../src/kube/reader';
import { ObjectAsserter, parseExpected } from '../../src/match/assert-object';
import { KindResolver } from '../../src/match/kinds';
import { ConfigError, VerifyError } from '../../src/runbook/errors';
import type { Operation } from '../../src/runbook/evidence';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

let sandbox: Sandbox;
let kube: KubeReader;
const waits: Operation[] = [];
const asserter = (timeoutMs = 300) => new ObjectAsserter(kube, (op) => waits.push(op), timeoutMs);

before(async () => {
  sandbox = await startSandbox();
  kube = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
});
after(() => sandbox.stop());

describe('kind words', () => {
  test('kind, plural and short names of any served kind resolve; namespaced kinds say so', async () => {
    const kinds = new KindResolver(kube);
    assert.equal((await kinds.resolve('node')).plural, 'nodes');
    assert.equal((await kinds.resolve('Deployment')).apiVersion, 'apps/v1');
    assert.equal((await kinds.resolve('ns')).kind, 'Namespace');
    const ng = await kinds.resolve('nodegroups');
    assert.deepEqual([ng.kind, ng.namespaced], ['NodeGroup', false]);
    assert.equal((await kinds.resolve('pod')).namespaced, true);
  });

  test('an unknown kind word is a ConfigError listing the known kinds', async () => {
    await assert.rejects(new KindResolver(kube).resolve('gadget'), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /unknown kind "gadget": the API serves .*deployment.*node.*nodegroup.*pod/);
      return true;
    });
  });

  test('a member cluster is asked through the host paths (/clusters/{name}/...)', async () => {
    const asked: string[] = [];
    const fake = {
      getPath: async (path: string) => {
        asked.push(path);
        return path.endsWith('/apis')
          ? { status: 200, body: { groups: [] } }
          : {
              status: 200,
              body: { resources: [{ name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node' }] },
            };
      },
    };
    const ref = await new KindResolver(fake, 'edge-1').resolve('node');
    assert.deepEqual(asked, ['/clusters/edge-1/apis', '/clusters/edge-1/api/v1']);
    assert.equal(ref.pathPrefix, '/clusters/edge-1');
  });
});

describe('matches / does not match', () => {
  test('a partial document matches a node; a namespaced object by ns/name and by namespace', async () => {
    const seen = await asserter().matches(
      { kind: 'node', name: 'worker-3' },
      parseExpected(
        'metadata:\n  labels:\n    node-role.kubernetes.io/worker: ""\nstatus:\n  addresses:\n    - type: InternalIP\n    - type: Hostname\n',
      ),
    );
    assert.equal(seen.metadata.name, 'worker-3');
    await asserter().matches(
      { kind: 'deploy', name: 'kubesphere-system/nodegroup-apiserver' },
      { metadata: { name: 'nodegroup-apiserver' } },
    );
    await asserter().matches(
      { kind: 'configmap', name: 'nodegroup-config', namespace: 'kubesphere-system' },
      { metadata: { namespace: 'kubesphere-system' } },
    );
  });

  test('the match waits for a change made after it starts (watch-driven)', async () => {
    const waiting = asserter(5000).matches(
      { kind: 'node', name: 'worker-2' },
      { metadata: { labels: { tier: 'gold' } } },
    );
    const node = sandbox.store.get('nodes', undefined, 'worker-2');
    sandbox.store.update('nodes', {
      ...node,
      metadata: { ...node.metadata, labels: { ...node.metadata.labels, tier: 'gold' } },
    });
    const seen = await waiting;
    assert.equal(seen.metadata.labels?.['tier'], 'gold');
  });

  test('a mismatch fails with the paths, expected and actual values, and the kubectl command', async () => {
    await assert.rejects(
      asserter().matches(
        { kind: 'node', name: 'worker-3' },
        {
          metadata: { labels: { 'apps.edgewize.io/nodegroup': 'site' } },
          status: { addresses: [{ type: 'InternalIP' }] },
        },
      ),
      (err: unknown) => {
        assert.ok(err instanceof VerifyError);
        assert.match(
          err.message,
          /expected node worker-3 to match, but it did not within 300 ms; 2 difference\(s\)/,
        );
        assert.match(
          err.message,
          /metadata\.labels\[apps\.edgewize\.io\/nodegroup\]: expected "site", actual \(absent\)/,
        );
        assert.match(
          err.message,
          /status\.addresses: expected .*lengths differ: expected 1 element\(s\), got 2/,
        );
        assert.match(err.message, /inspect with: kubectl get nodes worker-3 -o yaml/);
        return true;
      },
    );
    const last = waits.at(-1) as { kind: string; ok: boolean; name: string };
    assert.deepEqual([last.kind, last.ok, last.name], ['wait', false, 'worker-3']);
  });

  test('does not match: passes on a difference, fails while every field still matches', async () => {
    await asserter().doesNotMatch(
      { kind: 'node', name: 'worker-3' },
      { metadata: { labels: { 'kubernetes.io/os': 'windows' } } },
    );
    await assert.rejects(
      asserter().doesNotMatch(
        { kind: 'node', name: 'worker-3' },
        { metadata: { labels: { 'kubernetes.io/os': 'linux' } } },
      ),
      /expected node worker-3 not to match, but it still matched every field/,
    );
  });

  test('a missing object, a namespaced kind without namespace, a cluster-scoped one with one', async () => {
    await assert.rejects(
      asserter().matches({ kind: 'node', name: 'no-such' }, { metadata: {} }),
      /node no-such to match, but it does not exist/,
    );
    await assert.rejects(
      asserter().matches({ kind: 'pod', name: 'x' }, { metadata: {} }),
      /pod is namespaced: write the pod "namespace\/x"/,
    );
    await assert.rejects(
      asserter().matches({ kind: 'node', name: 'a/b' }, { metadata: {} }),
      /cluster-scoped/,
    );
  });

  test('the document must be a YAML map', () => {
    assert.throws(() => parseExpected('- a\n- b'), /must be a YAML map .* got a list/);
    assert.throws(() => parseExpected(''), /got nothing/);
    assert.throws(
      () => parseExpected('a: [b'),
      (err: unknown) => err instanceof ConfigError && /not YAML/.test(err.message),
    );
  });
});
