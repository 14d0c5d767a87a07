/**
 * Every object the sandbox serves from the built-in API groups, as a client reads it, validated
 * against the official Kubernetes OpenAPI schemas (the `kubernetes-models` package compiles them
 * to ajv validators). The sandbox's custom resources (NodeGroup, Workspace, IPPool) have no
 * official schema and are checked by the typed clients instead.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KAPI_PREFIX } from '../../src/constants';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { accessToken } from '../sandbox-http';

type Validated = { validate(): void };
type ModelClass = new (data: unknown) => Validated;

let sandbox: Sandbox;
let token: string;

before(async () => {
  sandbox = await startSandbox();
  token = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  // Controller writes too (labels, events): bind a node and a namespace, then wait for them.
  const headers = { authorization: `Bearer ${token}` };
  await fetch(`${sandbox.url}${KAPI_PREFIX}/nodegroups/edge-a/nodes/edge-node-1`, {
    method: 'POST',
    headers,
  });
  await fetch(`${sandbox.url}${KAPI_PREFIX}/nodegroups/edge-a/namespaces/demo-app`, {
    method: 'POST',
    headers,
  });
  const deadline = Date.now() + 10_000;
  while (!sandbox.store.list('events').items.some((e) => e.reason === 'NamespaceBound')) {
    assert.ok(Date.now() < deadline, 'the controller never bound the namespace');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});
after(() => sandbox.stop());

const get = async (path: string) => {
  const res = await fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return (await res.json()) as { kind: string; items: Record<string, unknown>[] };
};

const SERVED: [string, string, string][] = [
  // path, models module, kind
  ['/api/v1/nodes', 'v1', 'Node'],
  ['/api/v1/namespaces', 'v1', 'Namespace'],
  ['/api/v1/configmaps', 'v1', 'ConfigMap'],
  ['/api/v1/pods', 'v1', 'Pod'],
  ['/api/v1/events', 'v1', 'Event'],
  ['/api/v1/services', 'v1', 'Service'],
  ['/api/v1/endpoints', 'v1', 'Endpoints'],
  ['/apis/discovery.k8s.io/v1/endpointslices', 'discovery.k8s.io/v1', 'EndpointSlice'],
  ['/apis/apps/v1/deployments', 'apps/v1', 'Deployment'],
  ['/apis/apps/v1/replicasets', 'apps/v1', 'ReplicaSet'],
];

for (const [path, module, kind] of SERVED) {
  test(`${kind}s and their list validate against the official schema (${path})`, async () => {
    const models = (await import(`kubernetes-models/${module}`)) as Record<string, ModelClass>;
    const list = await get(path);
    assert.equal(list.kind, `${kind}List`);
    assert.ok(list.items.length > 0, `the sandbox serves no ${kind}`);
    const apiVersion = module === 'v1' ? 'v1' : module;
    for (const item of list.items) {
      // A list's items carry apiVersion and kind (the sandbox writes them, as etcd holds them).
      const object = { apiVersion, kind, ...item };
      assert.doesNotThrow(
        () => new models[kind]!(object).validate(),
        (err: Error) =>
          assert.fail(`${kind} ${JSON.stringify((item.metadata as { name?: string }).name)}: ${err.message}`),
      );
    }
    new models[`${kind}List`]!({ ...list, apiVersion }).validate();
  });
}

test('a Pod read by name and a Node read by name validate too', async () => {
  const { Pod, Node } = (await import('kubernetes-models/v1')) as Record<string, ModelClass>;
  const pods = await get('/api/v1/namespaces/kubesphere-system/pods');
  const name = (pods.items[0]!.metadata as { name: string }).name;
  new Pod!(await get(`/api/v1/namespaces/kubesphere-system/pods/${name}`)).validate();
  new Node!(await get('/api/v1/nodes/edge-node-1')).validate();
});

test('the schemas catch what the sandbox once served (incomplete nodeInfo, no imageID)', async () => {
  const { Node, Pod } = (await import('kubernetes-models/v1')) as Record<string, ModelClass>;
  const node = { metadata: { name: 'a' }, status: { nodeInfo: { kubeletVersion: 'v1.32.4' } } };
  assert.throws(() => new Node!(node).validate(), /required property bootID/);
  const pod = {
    metadata: { name: 'a' },
    spec: { containers: [{ name: 'c' }] },
    status: { containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'x' }] },
  };
  assert.throws(() => new Pod!(pod).validate(), /required property imageID/);
});
