import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  DESIRED_NODEGROUP_ANNOTATION,
  NODE_GROUP_LABEL,
  NODEGROUP_API_VERSION,
  NODEGROUP_FINALIZER,
} from '../../src/constants';
import type { KubeObject } from '../../src/sandbox/store/object';
import { KAPI, labelsOf, useHarness, waitFor } from './nodegroup-harness';

const h = useHarness();

const create = (name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) =>
  h.request('POST', `${KAPI}/nodegroups`, { metadata: { name, labels }, spec });
type List = { items: KubeObject[]; totalItems: number };
const names = (list: List) => list.items.map((i) => i.metadata.name);

describe('POST /nodegroups', () => {
  test('creates with apiVersion, kind and finalizer; the controller makes it active', async () => {
    const res = await create('kapi-create', { alias: 'Created', manager: 'admin' });
    assert.equal(res.status, 200);
    assert.match(res.type, /application\/json/);
    const ng = res.json();
    assert.equal(ng.apiVersion, NODEGROUP_API_VERSION);
    assert.equal(ng.kind, 'NodeGroup');
    assert.deepEqual(ng.metadata.finalizers, [NODEGROUP_FINALIZER]);
    await waitFor('state active', () => {
      const s = h.store.get('nodegroups', undefined, 'kapi-create').status as { state?: string } | undefined;
      return s?.state === 'active';
    });
  });

  test('invalid name -> 422, existing -> 409, wrong kind -> 400, array -> 400, bad spec -> 422', async () => {
    const bad = await create('Bad_Name');
    assert.equal(bad.status, 422);
    assert.match(bad.type, /text\/plain/);
    assert.match(
      bad.text,
      /^NodeGroup\.infra\.kubesphere\.io "Bad_Name" is invalid: metadata\.name: Invalid value/,
    );
    await create('kapi-dup');
    const dup = await create('kapi-dup');
    assert.equal(dup.status, 409);
    assert.equal(dup.text, 'nodegroups.infra.kubesphere.io "kapi-dup" already exists');
    const node = await h.request('POST', `${KAPI}/nodegroups`, {
      kind: 'Node',
      apiVersion: 'v1',
      metadata: { name: 'x' },
    });
    assert.equal(node.status, 400);
    assert.match(node.text, /Node cannot be handled as a NodeGroup/);
    const arr = await h.request('POST', `${KAPI}/nodegroups`, [{ metadata: { name: 'x' } }]);
    assert.equal(arr.status, 400);
    assert.match(arr.text, /must be a NodeGroup object, got an array/);
    const spec = await create('kapi-bad-spec', { alias: 7 });
    assert.equal(spec.status, 422);
    assert.match(spec.text, /spec\.alias: Invalid value: 7: must be a string/);
    for (const name of ['Bad_Name', 'x', 'kapi-bad-spec'])
      assert.equal(h.store.has('nodegroups', undefined, name), false);
  });
});

describe('GET /nodegroups', () => {
  before(async () => {
    await create('list-b', { alias: 'bravo site' }, { tier: 'edge' });
    await create('list-a', { alias: 'alpha site' }, { tier: 'edge' });
    await create('list-c', { alias: 'charlie' }, { tier: 'core' });
  });

  test('KubeSphere list shape, name filter on name or alias, labelSelector', async () => {
    const all = (await h.request('GET', `${KAPI}/nodegroups`)).json<List>();
    assert.equal(all.totalItems, all.items.length);
    assert.ok(names(all).includes('edge-a'));
    const site = (
      await h.request('GET', `${KAPI}/nodegroups?name=site&labelSelector=tier&sortBy=name&ascending=true`)
    ).json<List>();
    assert.deepEqual(names(site), ['list-a', 'list-b']);
    const byName = (await h.request('GET', `${KAPI}/nodegroups?name=list-c`)).json<List>();
    assert.deepEqual(names(byName), ['list-c']);
    const edge = (
      await h.request('GET', `${KAPI}/nodegroups?labelSelector=tier%3Dedge&sortBy=name`)
    ).json<List>();
    assert.deepEqual(names(edge), ['list-b', 'list-a']);
    assert.equal(edge.totalItems, 2);
  });

  test('sortBy, ascending, page and limit; totalItems counts before paging', async () => {
    const q = 'labelSelector=tier&sortBy=name&ascending=true&limit=2';
    const p1 = (await h.request('GET', `${KAPI}/nodegroups?${q}&page=1`)).json<List>();
    const p2 = (await h.request('GET', `${KAPI}/nodegroups?${q}&page=2`)).json<List>();
    assert.deepEqual(names(p1), ['list-a', 'list-b']);
    assert.deepEqual(names(p2), ['list-c']);
    assert.equal(p1.totalItems, 3);
    const byAlias = (
      await h.request('GET', `${KAPI}/nodegroups?labelSelector=tier&sortBy=alias`)
    ).json<List>();
    assert.deepEqual(names(byAlias), ['list-c', 'list-b', 'list-a']);
    // Default: newest first (creationTimestamp descending, ties by name descending).
    const dflt = (await h.request('GET', `${KAPI}/nodegroups?labelSelector=tier`)).json<List>();
    const stamps = dflt.items.map((i) => i.metadata.creationTimestamp!);
    assert.deepEqual(stamps, [...stamps].sort().reverse());
  });

  test('bad query parameters -> 400 naming the parameter', async () => {
    for (const [q, re] of [
      ['page=0', /page="0"/],
      ['limit=x', /limit="x"/],
      ['ascending=yes', /ascending="yes"/],
      ['sortBy=color', /sortBy="color"/],
      ['labelSelector=a%20in%20(', /unable to parse requirement/],
    ] as const) {
      const res = await h.request('GET', `${KAPI}/nodegroups?${q}`);
      assert.equal(res.status, 400, q);
      assert.match(res.text, re);
    }
  });
});

describe('one NodeGroup', () => {
  test('GET returns the object or a text/plain 404', async () => {
    const ok = await h.request('GET', `${KAPI}/nodegroups/edge-a`);
    assert.equal(ok.status, 200);
    assert.equal(ok.json().metadata.name, 'edge-a');
    const missing = await h.request('GET', `${KAPI}/nodegroups/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.type, /text\/plain/);
    assert.equal(missing.text, 'nodegroups.infra.kubesphere.io "nope" not found');
  });

  test('PUT updates with a resourceVersion check', async () => {
    await create('kapi-put', { alias: 'old' });
    // The controller writes status right after create: read the latest version first.
    await waitFor(
      'active',
      () => (h.store.get('nodegroups', undefined, 'kapi-put').status as { state?: string })?.state,
    );
    const ng = (await h.request('GET', `${KAPI}/nodegroups/kapi-put`)).json();
    const body = { ...ng, spec: { alias: 'new' } };
    const ok = await h.request('PUT', `${KAPI}/nodegroups/kapi-put`, body);
    assert.equal(ok.status, 200);
    assert.equal((ok.json().spec as { alias: string }).alias, 'new');
    const stale = await h.request('PUT', `${KAPI}/nodegroups/kapi-put`, { ...ng, spec: { alias: 'stale' } });
    assert.equal(stale.status, 409);
    assert.match(
      stale.text,
      /Operation cannot be fulfilled on nodegroups\.infra\.kubesphere\.io "kapi-put": the object has been modified/,
    );
    const noRv = await h.request('PUT', `${KAPI}/nodegroups/kapi-put`, {
      metadata: { name: 'kapi-put' },
      spec: {},
    });
    assert.equal(noRv.status, 422);
    assert.match(noRv.text, /metadata\.resourceVersion: Invalid value: 0x0: must be specified for an update/);
    const renamed = await h.request('PUT', `${KAPI}/nodegroups/kapi-put`, {
      ...ok.json<KubeObject>(),
      metadata: { name: 'other' },
    });
    assert.equal(renamed.status, 400);
    assert.match(renamed.text, /does not match the name on the URL/);
    assert.equal((h.store.get('nodegroups', undefined, 'kapi-put').spec as { alias: string }).alias, 'new');
  });

  test('PATCH: JSON Patch (array required, failing test op applies nothing) and merge patch', async () => {
    await create('kapi-patch', { alias: 'a' });
    const jp = { 'content-type': 'application/json-patch+json' };
    const ok = await h.request(
      'PATCH',
      `${KAPI}/nodegroups/kapi-patch`,
      [{ op: 'add', path: '/spec/alias', value: 'b' }],
      jp,
    );
    assert.equal(ok.status, 200);
    assert.equal((ok.json().spec as { alias: string }).alias, 'b');
    const before = h.store.get('nodegroups', undefined, 'kapi-patch').metadata.resourceVersion;
    const notArray = await h.request('PATCH', `${KAPI}/nodegroups/kapi-patch`, { op: 'add' }, jp);
    assert.equal(notArray.status, 400);
    assert.match(notArray.text, /JSON Patch must be a JSON array of operations/);
    const failing = await h.request(
      'PATCH',
      `${KAPI}/nodegroups/kapi-patch`,
      [
        { op: 'replace', path: '/spec/alias', value: 'c' },
        { op: 'test', path: '/spec/alias', value: 'zzz' },
      ],
      jp,
    );
    assert.equal(failing.status, 422);
    assert.match(failing.text, /operation 1 \(test \/spec\/alias\): test failed/);
    const now = h.store.get('nodegroups', undefined, 'kapi-patch');
    assert.equal(now.metadata.resourceVersion, before);
    assert.equal((now.spec as { alias: string }).alias, 'b');
    const merge = await h.request(
      'PATCH',
      `${KAPI}/nodegroups/kapi-patch`,
      { spec: { manager: 'ops' } },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    assert.equal(merge.status, 200);
    assert.deepEqual(merge.json().spec, { alias: 'b', manager: 'ops' });
    const missing = await h.request('PATCH', `${KAPI}/nodegroups/nope`, [], jp);
    assert.equal(missing.status, 404);
  });

  test('DELETE answers the object with deletionTimestamp; the controller finishes it', async () => {
    await create('kapi-del');
    const res = await h.request('DELETE', `${KAPI}/nodegroups/kapi-del`);
    assert.equal(res.status, 200);
    assert.ok(res.json().metadata.deletionTimestamp);
    await waitFor('kapi-del gone', () => !h.store.has('nodegroups', undefined, 'kapi-del'));
    assert.equal((await h.request('DELETE', `${KAPI}/nodegroups/kapi-del`)).status, 404);
  });
});

describe('routes', () => {
  test('multi-cluster forms serve the host cluster; an unknown cluster is a 400 Status', async () => {
    for (const path of [
      '/kapis/clusters/host/infra.kubesphere.io/v1alpha1/nodegroups/edge-a',
      '/clusters/host/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a',
    ]) {
      const res = await h.request('GET', path);
      assert.equal(res.status, 200, path);
      assert.equal(res.json().metadata.name, 'edge-a');
    }
    const res = await h.request('GET', '/kapis/clusters/mars/infra.kubesphere.io/v1alpha1/nodegroups');
    assert.equal(res.status, 400);
    const status = res.json<{ kind: string; message: string; code: number }>();
    assert.equal(status.kind, 'Status');
    assert.equal(status.message, 'cluster mars not exists');
    assert.equal(
      (await h.request('GET', '/clusters/mars/kapis/infra.kubesphere.io/v1alpha1/nodegroups')).status,
      400,
    );
  });

  test('unknown routes are 404: Page Not Found; wrong methods 405', async () => {
    for (const path of [
      `${KAPI}/nodegroupz`,
      `${KAPI}/nodegroups/a/pods/b`,
      '/kapis/other.io/v1/x',
      `${KAPI}/nodegroups/a/nodes`,
    ]) {
      const res = await h.request('GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.text, '404: Page Not Found');
    }
    assert.equal((await h.request('PUT', `${KAPI}/nodegroups`)).status, 405);
    assert.equal((await h.request('GET', `${KAPI}/nodegroups/edge-a/nodes/worker-1`)).status, 405);
  });
});

describe('bind and unbind requests', () => {
  test('record intent and answer the target as JSON; the controller applies it', async () => {
    const res = await h.request('POST', `${KAPI}/nodegroups/edge-a/nodes/worker-3`);
    assert.equal(res.status, 200);
    assert.equal(res.json().metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION], 'edge-a');
    await waitFor('label', () => labelsOf(h.store, 'nodes', 'worker-3')[NODE_GROUP_LABEL] === 'edge-a');
    const off = await h.request('DELETE', `${KAPI}/nodegroups/edge-a/nodes/worker-3`);
    assert.equal(off.status, 200);
    await waitFor('no label', () => !labelsOf(h.store, 'nodes', 'worker-3')[NODE_GROUP_LABEL]);
  });

  test('missing group or target -> 404, a body -> 400, nothing written', async () => {
    const version = h.store.resourceVersion;
    const cases = [
      [
        'POST',
        `${KAPI}/nodegroups/nope/nodes/worker-1`,
        404,
        'nodegroups.infra.kubesphere.io "nope" not found',
      ],
      ['POST', `${KAPI}/nodegroups/edge-a/nodes/nope`, 404, 'nodes "nope" not found'],
      ['POST', `${KAPI}/nodegroups/edge-a/namespaces/nope`, 404, 'namespaces "nope" not found'],
      [
        'DELETE',
        `${KAPI}/nodegroups/edge-a/workspaces/nope`,
        404,
        'workspaces.tenant.kubesphere.io "nope" not found',
      ],
    ] as const;
    for (const [method, path, status, text] of cases) {
      const res = await h.request(method, path);
      assert.equal(res.status, status, path);
      assert.equal(res.text, text);
    }
    const body = await h.request('POST', `${KAPI}/nodegroups/edge-a/nodes/worker-1`, { kind: 'Node' });
    assert.equal(body.status, 400);
    assert.match(body.text, /bind and unbind take no request body/);
    assert.equal(h.store.resourceVersion, version);
    assert.equal((await h.request('POST', `${KAPI}/nodegroups/edge-a/nodes/worker-1`, '{}')).status, 200);
  });

  test('binding to a group being deleted -> 409; unbinding from it is allowed', async () => {
    await create('kapi-dying');
    await h.request('POST', `${KAPI}/nodegroups/kapi-dying/nodes/worker-2`);
    await waitFor('bound', () => labelsOf(h.store, 'nodes', 'worker-2')[NODE_GROUP_LABEL] === 'kapi-dying');
    await h.request('DELETE', `${KAPI}/nodegroups/kapi-dying`);
    const res = await h.request('POST', `${KAPI}/nodegroups/kapi-dying/namespaces/monitoring`);
    assert.equal(res.status, 409);
    assert.match(res.text, /nodegroups\.infra\.kubesphere\.io "kapi-dying": the nodegroup is being deleted/);
    assert.equal(
      h.store.get('namespaces', undefined, 'monitoring').metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION],
      undefined,
    );
    assert.equal((await h.request('DELETE', `${KAPI}/nodegroups/kapi-dying/nodes/worker-2`)).status, 200);
    await waitFor('kapi-dying gone', () => !h.store.has('nodegroups', undefined, 'kapi-dying'));
  });
});
