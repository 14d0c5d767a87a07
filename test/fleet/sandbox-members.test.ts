/**
 * Member clusters in the sandbox: reached only through the host's cluster paths, each with its own
 * store and fixture variant; an unknown cluster is KubeSphere's 400; the cluster list shows them
 * with their Ready state; the member-unreachable fault cuts one off; member objects are readable
 * by the partial-match assertions (src/match with a cluster).
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { KubeReader } from '../../src/kube/reader';
import { ObjectAsserter } from '../../src/match/assert-object';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

let sandbox: Sandbox;
let token: string;

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

const nodeNames = async (prefix: string) =>
  (
    JSON.parse((await get(`${prefix}/api/v1/nodes`)).text) as { items: { metadata: { name: string } }[] }
  ).items
    .map((n) => n.metadata.name)
    .filter((n) => n.includes('-edge-'));

before(async () => {
  sandbox = await startSandbox({ members: 3 });
  const res = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      username: sandbox.username,
      password: sandbox.password,
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
    }).toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
after(() => sandbox.stop());

describe('member clusters', () => {
  test('each member has its own fixture variant, reached through /clusters/{m}/ and /kapis/clusters/{m}/', async () => {
    assert.deepEqual(await nodeNames(''), []);
    assert.deepEqual(await nodeNames('/clusters/member-1'), ['member-1-edge-1']);
    assert.deepEqual(await nodeNames('/clusters/member-3'), [
      'member-3-edge-1',
      'member-3-edge-2',
      'member-3-edge-3',
    ]);
    const groups = await get('/kapis/clusters/member-2/infra.kubesphere.io/v1alpha1/nodegroups');
    assert.equal(groups.status, 200);
    assert.match(groups.text, /"edge-a"/);
    assert.equal((await get('/clusters/member-2/kapis/infra.kubesphere.io/v1alpha1/nodegroups')).status, 200);
  });

  test('a write on one member changes that member only', async () => {
    sandbox.members.get('member-1')!.store.mutate('nodes', undefined, 'worker-3', (n) => {
      n.metadata.labels = { ...n.metadata.labels, 'fleet-test': 'yes' };
    });
    const labelled = async (prefix: string) =>
      (await get(`${prefix}/api/v1/nodes/worker-3`)).text.includes('fleet-test');
    assert.deepEqual(
      [await labelled(''), await labelled('/clusters/member-1'), await labelled('/clusters/member-2')],
      [false, true, false],
    );
  });

  test('an unknown cluster is the 400 KubeSphere answers, on both path forms', async () => {
    for (const path of [
      '/clusters/nope/api/v1/nodes',
      '/kapis/clusters/nope/infra.kubesphere.io/v1alpha1/nodegroups',
    ]) {
      const res = await get(path);
      assert.equal(res.status, 400, path);
      assert.match(res.text, /cluster nope not exists/);
    }
  });

  test('the cluster list names host and members with Ready; member-unreachable cuts one off', async () => {
    type List = {
      items: {
        metadata: { name: string };
        status: { conditions: { type: string; status: string }[]; nodeCount: number };
      }[];
    };
    const ready = async () => {
      const list = JSON.parse((await get('/apis/cluster.kubesphere.io/v1alpha1/clusters')).text) as List;
      return list.items.map(
        (c) => `${c.metadata.name}:${c.status.conditions.find((k) => k.type === 'Ready')!.status}`,
      );
    };
    assert.deepEqual(await ready(), ['host:True', 'member-1:True', 'member-2:True', 'member-3:True']);
    sandbox.faults.set('member-unreachable', { cluster: 'member-2' });
    try {
      assert.deepEqual(await ready(), ['host:True', 'member-1:True', 'member-2:False', 'member-3:True']);
      const cut = await get('/clusters/member-2/api/v1/nodes');
      assert.deepEqual([cut.status, cut.text], [503, 'cluster member-2 is not ready']);
      assert.equal(
        (await get('/kapis/clusters/member-2/infra.kubesphere.io/v1alpha1/nodegroups')).status,
        503,
      );
      assert.equal((await get('/clusters/member-1/api/v1/nodes')).status, 200);
    } finally {
      sandbox.faults.remove('member-unreachable');
    }
    assert.equal((await get('/apis/cluster.kubesphere.io/v1alpha1/clusters/nope')).status, 404);
  });

  test("a member's objects are readable by the partial-match assertions", async () => {
    const kube = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
    const asserter = new ObjectAsserter(kube, () => {}, 300);
    const target = { kind: 'node', name: 'member-3-edge-2', cluster: 'member-3' };
    await asserter.matches(target, { metadata: { labels: { 'node-role.kubernetes.io/edge': '' } } });
    await assert.rejects(asserter.matches({ ...target, cluster: 'member-1' }, {}), (err: unknown) => {
      assert.match((err as Error).message, /member-3-edge-2/);
      return true;
    });
  });
});
