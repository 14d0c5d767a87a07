/**
 * The workload controller on a store: Deployments -> ReplicaSets -> pods, admitted and scheduled;
 * replaced, scaled, garbage collected; the namespace's selector applies to new pods only; and
 * through the REST layer, a conflicting pod is refused with the admission's 403.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { NODE_GROUP_LABEL, NODE_SELECTOR_ANNOTATION } from '../../../src/constants';
import { type Sandbox, startSandbox } from '../../../src/sandbox/sandbox';
import { loadFixture } from '../../../src/sandbox/server/fixture';
import type { KubeObject } from '../../../src/sandbox/store/object';
import { ObjectStore } from '../../../src/sandbox/store/store';
import { WorkloadController } from '../../../src/sandbox/workloads/workload-controller';

/** Resolves once `check` holds on the store (checked after every write), or rejects after 2 s. */
function until<T>(store: ObjectStore, what: string, check: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = [];
    const done = (fn: () => void) => {
      for (const s of stops) s();
      clearTimeout(timer);
      fn();
    };
    const test = () => {
      const v = check();
      if (v !== undefined && v !== false) done(() => resolve(v));
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${what}`))), 2000);
    for (const r of ['pods', 'deployments', 'replicasets', 'events'])
      stops.push(store.watch(r, {}, () => setImmediate(test)));
    test();
  });
}

const podsOf = (store: ObjectStore, ns: string) => store.list('pods', { namespace: ns }).items;
const nodeOf = (p: KubeObject) => (p.spec as { nodeName?: string }).nodeName;
const running = (store: ObjectStore, ns: string, n: number) => () => {
  const pods = podsOf(store, ns).filter((p) => (p.status as { phase?: string }).phase === 'Running');
  return pods.length === n && podsOf(store, ns).length === n ? pods : undefined;
};

function deployment(name: string, ns: string, replicas: number, nodeSelector?: Record<string, string>) {
  return {
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'nginx' }], ...(nodeSelector ? { nodeSelector } : {}) },
      },
    },
  };
}

describe('the workload controller', () => {
  const store = new ObjectStore();
  const controller = new WorkloadController(store);
  let fixtureReplicaSets: (string | undefined)[] = [];
  before(() => {
    loadFixture(store);
    fixtureReplicaSets = store
      .list('replicasets', { namespace: 'kubesphere-system' })
      .items.map((r) => r.metadata.resourceVersion);
    assert.equal(fixtureReplicaSets.length, 2, 'the fixture has the nodegroup ReplicaSets');
    for (const n of ['edge-node-1', 'edge-node-2'])
      store.mutate('nodes', undefined, n, (o) => {
        o.metadata.labels![NODE_GROUP_LABEL] = 'g1';
      });
    store.create('namespaces', {
      metadata: { name: 'apps', annotations: { [NODE_SELECTOR_ANNOTATION]: `${NODE_GROUP_LABEL}=g1` } },
    });
    controller.start();
  });
  after(() => controller.stop());

  test('runs the replicas on the nodes of the namespace selector, spread, and the Deployment available', async () => {
    store.create('deployments', deployment('web', 'apps', 3));
    const pods = await until(store, '3 running pods', running(store, 'apps', 3));
    assert.deepEqual(pods.map(nodeOf).sort(), ['edge-node-1', 'edge-node-1', 'edge-node-2'].sort());
    const d = await until(store, 'web available', () => {
      const s = store.get('deployments', 'apps', 'web').status as { readyReplicas?: number };
      return s.readyReplicas === 3 ? s : undefined;
    });
    assert.equal((d as { availableReplicas?: number }).availableReplicas, 3);
    assert.equal(store.list('replicasets', { namespace: 'apps' }).items.length, 1);
    // The fixture's nodegroup Deployments, ReplicaSets and pods are left to their own model.
    assert.deepEqual(
      store
        .list('replicasets', { namespace: 'kubesphere-system' })
        .items.map((r) => r.metadata.resourceVersion),
      fixtureReplicaSets,
    );
  });

  test('a deleted pod is replaced; scaling down removes pods', async () => {
    const victim = podsOf(store, 'apps')[0]!.metadata.name!;
    store.delete('pods', 'apps', victim);
    const pods = await until(store, 'a replacement', () => {
      const now = running(store, 'apps', 3)();
      return now && !now.some((p) => p.metadata.name === victim) ? now : undefined;
    });
    assert.equal(pods.length, 3);
    store.mutate('deployments', 'apps', 'web', (d) => {
      (d.spec as { replicas: number }).replicas = 1;
    });
    await until(store, 'one pod', running(store, 'apps', 1));
  });

  test('unbinding the namespace affects new pods only', async () => {
    store.mutate('namespaces', undefined, 'apps', (ns) => {
      delete ns.metadata.annotations![NODE_SELECTOR_ANNOTATION];
    });
    const old = running(store, 'apps', 1)()![0]!;
    assert.deepEqual((old.spec as { nodeSelector?: unknown }).nodeSelector, { [NODE_GROUP_LABEL]: 'g1' });
    store.mutate('deployments', 'apps', 'web', (d) => {
      (d.spec as { replicas: number }).replicas = 2;
    });
    const pods = await until(store, 'two pods', running(store, 'apps', 2));
    const fresh = pods.find((p) => p.metadata.name !== old.metadata.name)!;
    assert.equal((fresh.spec as { nodeSelector?: unknown }).nodeSelector, undefined);
  });

  test('a pod no node matches stays Pending with a FailedScheduling event', async () => {
    store.create('deployments', deployment('lost', 'apps', 1, { [NODE_GROUP_LABEL]: 'nowhere' }));
    const event = await until(store, 'FailedScheduling', () =>
      store.list('events', { namespace: 'apps' }).items.find((e) => e.reason === 'FailedScheduling'),
    );
    assert.match(
      String(event.message),
      /^0\/6 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, 5 node\(s\) didn't match/,
    );
    const pending = podsOf(store, 'apps').find((p) => p.metadata.name!.startsWith('lost-'))!;
    assert.equal((pending.status as { phase: string }).phase, 'Pending');
    // A node joining the group takes it.
    store.mutate('nodes', undefined, 'worker-1', (o) => {
      o.metadata.labels![NODE_GROUP_LABEL] = 'nowhere';
    });
    await until(store, 'lost scheduled', () =>
      podsOf(store, 'apps').find((p) => p.metadata.name!.startsWith('lost-') && nodeOf(p) === 'worker-1'),
    );
  });

  test("a template contradicting the namespace's selector: no pod, a FailedCreate event with the admission message", async () => {
    store.mutate('namespaces', undefined, 'apps', (ns) => {
      ns.metadata.annotations = { [NODE_SELECTOR_ANNOTATION]: `${NODE_GROUP_LABEL}=g1` };
    });
    store.create('deployments', deployment('other', 'apps', 2, { [NODE_GROUP_LABEL]: 'g2' }));
    const event = await until(store, 'FailedCreate', () =>
      store.list('events', { namespace: 'apps' }).items.find((e) => e.reason === 'FailedCreate'),
    );
    assert.match(
      String(event.message),
      /^Error creating: pods "other-[a-z0-9]+-" is forbidden: pod node label selector conflicts with its namespace node label selector$/,
    );
    assert.equal(podsOf(store, 'apps').filter((p) => p.metadata.name!.startsWith('other-')).length, 0);
    store.delete('deployments', 'apps', 'other');
  });

  test('deleting a Deployment removes its ReplicaSet and pods; a deleted namespace its workloads', async () => {
    store.delete('deployments', 'apps', 'lost');
    await until(store, 'lost gone', () =>
      podsOf(store, 'apps').every((p) => !p.metadata.name!.startsWith('lost-')) ? true : undefined,
    );
    store.delete('namespaces', undefined, 'apps');
    await until(store, 'apps emptied', () =>
      podsOf(store, 'apps').length === 0 &&
      store.list('deployments', { namespace: 'apps' }).items.length === 0
        ? true
        : undefined,
    );
  });
});

describe('the admission through the REST layer', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.stop());

  let token = '';
  const api = (method: string, path: string, body?: unknown, type = 'application/json') =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  test('a pod whose selector contradicts its namespace is a 403 with the plugin message', async () => {
    const form = new URLSearchParams({
      grant_type: 'password',
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
      username: sandbox.username,
      password: sandbox.password,
    });
    const login = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: form });
    const { access_token } = (await login.json()) as { access_token: string };
    token = access_token;
    sandbox.store.mutate('namespaces', undefined, 'monitoring', (ns) => {
      ns.metadata.annotations = { [NODE_SELECTOR_ANNOTATION]: `${NODE_GROUP_LABEL}=g1` };
    });
    const res = await fetch(`${sandbox.url}/api/v1/namespaces/monitoring/pods`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'p' },
        spec: { nodeSelector: { [NODE_GROUP_LABEL]: 'g2' }, containers: [{ name: 'c', image: 'x' }] },
      }),
    });
    const body = (await res.json()) as { reason: string; message: string };
    assert.equal(res.status, 403);
    assert.equal(body.reason, 'Forbidden');
    assert.equal(
      body.message,
      'pods "p" is forbidden: pod node label selector conflicts with its namespace node label selector',
    );
  });

  test('the scale subresource: read, patched as kubectl scale does, validated; only on workloads', async () => {
    await api('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('sized', 'default', 2));
    const path = '/apis/apps/v1/namespaces/default/deployments/sized/scale';
    const read = (await (await api('GET', path)).json()) as {
      kind: string;
      spec: { replicas: number };
      status: { selector: string };
    };
    assert.equal(read.kind, 'Scale');
    assert.equal(read.spec.replicas, 2);
    assert.equal(read.status.selector, 'app=sized');
    const patched = await api('PATCH', path, { spec: { replicas: 1 } }, 'application/merge-patch+json');
    assert.equal(patched.status, 200);
    const spec = sandbox.store.get('deployments', 'default', 'sized').spec as { replicas: number };
    assert.equal(spec.replicas, 1);
    const bad = await api('PUT', path, { spec: { replicas: -1 } });
    assert.equal(bad.status, 422);
    assert.equal((await api('GET', '/api/v1/namespaces/default/configmaps/x/scale')).status, 404);
  });
});
