import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBERNETES_VERSION } from '../../src/constants';
import { sendJSON, sendStatus } from '../../src/sandbox/http/http';
import { createKubeApi } from '../../src/sandbox/kubernetes/rest';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { StatusError } from '../../src/sandbox/store/status';
import { ObjectStore } from '../../src/sandbox/store/store';

/** The handler behind a bare http server, as the router would mount it (no auth). */
async function serve(store: ObjectStore): Promise<{ url: string; close: () => Promise<void> }> {
  const api = createKubeApi(store);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/version')
      return sendJSON(res, 200, { ...KUBERNETES_VERSION, platform: 'linux/amd64' });
    try {
      await api({
        req,
        res,
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        listener: 'kube-apiserver',
      });
    } catch (err) {
      if (err instanceof StatusError) sendStatus(res, err);
      else sendStatus(res, new StatusError('InternalError', String(err)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function seed(): ObjectStore {
  const store = new ObjectStore();
  for (const name of ['default', 'kubesphere-system']) store.create('namespaces', { metadata: { name } });
  store.create('namespaces', { metadata: { name: 'team-a', labels: { 'kubesphere.io/workspace': 'ws-a' } } });
  const node = (name: string, role: string, labels: Record<string, string>) =>
    store.create('nodes', {
      metadata: { name, labels: { [`node-role.kubernetes.io/${role}`]: '', ...labels } },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.4' } },
    });
  node('master-1', 'control-plane', {});
  node('edge-1', 'edge', { zone: 'east' });
  node('edge-2', 'edge', { zone: 'west' });
  store.create('configmaps', {
    metadata: { name: 'nodegroup-config', namespace: 'kubesphere-system' },
    data: { 'nodegroup.yaml': 'scheduling:\n  enabled: true\n' },
  });
  store.create('pods', {
    metadata: { name: 'nodegroup-apiserver-7d9f', namespace: 'kubesphere-system' },
    spec: { containers: [{ name: 'apiserver', image: 'nodegroup-apiserver:v1' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'apiserver', ready: true, restartCount: 0 }] },
  });
  return store;
}

/** kubectl talks to a started sandbox (https, kubeconfig with CA and token) holding the seed. */
let sandbox: Sandbox;
/** The REST handler alone over its own seeded store (no controller), for the layer's own tests. */
let store: ObjectStore;
let server: { url: string; close: () => Promise<void> };
let tmp: string;

before(async () => {
  sandbox = await startSandbox();
  sandbox.store.load(seed().dump());
  store = seed();
  server = await serve(store);
  tmp = mkdtempSync(path.join(tmpdir(), 'kube-rest-'));
});
after(async () => {
  await server.close();
  await sandbox.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const kubectlArgs = (args: string[]) => [
  '--kubeconfig',
  sandbox.kubeconfigPath,
  '--cache-dir',
  path.join(tmp, 'cache'),
  ...args,
];
const kubectlEnv = () => ({ ...process.env, KUBECONFIG: path.join(tmp, 'no-kubeconfig') });

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', kubectlArgs(args), { env: kubectlEnv(), timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function kubectlOk(...args: string[]): Promise<string> {
  const out = await kubectl(...args);
  assert.equal(out.code, 0, `kubectl ${args.join(' ')} failed: ${out.stderr}`);
  return out.stdout;
}

const rows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));

describe('kubectl against a started sandbox (https, kubeconfig with CA and token)', () => {
  it('get nodes shows NAME STATUS ROLES AGE VERSION', async () => {
    const [header, ...lines] = rows(await kubectlOk('get', 'nodes'));
    assert.deepEqual(header, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    const edge = lines.find((l) => l[0] === 'edge-1');
    assert.deepEqual([edge?.[1], edge?.[2], edge?.[4]], ['Ready', 'edge', 'v1.32.4']);
    assert.equal(lines.length, 3);
  });

  it('get nodes -l KEY=VALUE --show-labels lists the matches with their labels', async () => {
    const out = await kubectlOk('get', 'nodes', '-l', 'zone=east', '--show-labels');
    const [header, ...lines] = rows(out);
    assert.equal(header?.at(-1), 'LABELS');
    assert.deepEqual(
      lines.map((l) => l[0]),
      ['edge-1'],
    );
    assert.match(out, /node-role\.kubernetes\.io\/edge=,zone=east/);
  });

  it('get node -o yaml and get ns -o yaml return the full objects', async () => {
    const node = await kubectlOk('get', 'node', 'master-1', '-o', 'yaml');
    assert.match(node, /^apiVersion: v1\nkind: Node\n/);
    assert.match(node, /node-role\.kubernetes\.io\/control-plane: ""/);
    assert.match(node, /kubeletVersion: v1\.32\.4/);
    const ns = await kubectlOk('get', 'ns', 'team-a', '-o', 'yaml');
    assert.match(ns, /kind: Namespace/);
    assert.match(ns, /kubesphere\.io\/workspace: ws-a/);
    const missing = await kubectl('get', 'ns', 'nope');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /namespaces "nope" not found/);
  });

  it('get ns X --show-labels, get cm -o yaml, get pods -n', async () => {
    assert.match(
      await kubectlOk('get', 'ns', 'team-a', '--show-labels'),
      /team-a\s+Active\s+\S+\s+kubesphere\.io\/workspace=ws-a/,
    );
    const cm = await kubectlOk('get', 'cm', 'nodegroup-config', '-n', 'kubesphere-system', '-o', 'yaml');
    assert.match(cm, /kind: ConfigMap/);
    assert.match(cm, /nodegroup\.yaml: \|\n\s+scheduling:\n\s+enabled: true/);
    const [header, pod] = rows(await kubectlOk('get', 'pods', '-n', 'kubesphere-system'));
    assert.deepEqual(header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(pod?.slice(0, 4), ['nodegroup-apiserver-7d9f', '1/1', 'Running', '0']);
  });

  it('label and annotate', async () => {
    assert.match(await kubectlOk('label', 'node', 'edge-2', 'tier=gold'), /node\/edge-2 labeled/);
    assert.equal(sandbox.store.get('nodes', undefined, 'edge-2').metadata.labels?.tier, 'gold');
    assert.match(await kubectlOk('get', 'nodes', '-l', 'tier=gold'), /edge-2/);
    await kubectlOk('label', 'node', 'edge-2', 'tier-');
    assert.equal(sandbox.store.get('nodes', undefined, 'edge-2').metadata.labels?.tier, undefined);
    assert.match(await kubectlOk('annotate', 'ns', 'team-a', 'owner=ops'), /namespace\/team-a annotated/);
    assert.equal(sandbox.store.get('namespaces', undefined, 'team-a').metadata.annotations?.owner, 'ops');
    const bad = await kubectl('label', 'node', 'edge-2', 'bad value!=x');
    assert.notEqual(bad.code, 0);
  });

  it('patch --type json|merge|strategic', async () => {
    await kubectlOk('patch', 'node', 'edge-1', '--type', 'merge', '-p', '{"spec":{"unschedulable":true}}');
    assert.match(await kubectlOk('get', 'node', 'edge-1'), /Ready,SchedulingDisabled/);
    await kubectlOk(
      'patch',
      'node',
      'edge-1',
      '--type',
      'json',
      '-p',
      '[{"op":"remove","path":"/spec/unschedulable"}]',
    );
    assert.equal(
      (sandbox.store.get('nodes', undefined, 'edge-1').spec as Record<string, unknown>).unschedulable,
      undefined,
    );
    const failed = await kubectl(
      'patch',
      'node',
      'edge-1',
      '--type',
      'json',
      '-p',
      '[{"op":"test","path":"/metadata/name","value":"x"}]',
    );
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /test failed/);
    await kubectlOk(
      'patch',
      'pod',
      'nodegroup-apiserver-7d9f',
      '-n',
      'kubesphere-system',
      '-p',
      '{"spec":{"containers":[{"name":"apiserver","image":"nodegroup-apiserver:v2"}]}}',
    );
    const containers = (
      sandbox.store.get('pods', 'kubesphere-system', 'nodegroup-apiserver-7d9f').spec as {
        containers: unknown[];
      }
    ).containers;
    assert.deepEqual(containers, [{ name: 'apiserver', image: 'nodegroup-apiserver:v2' }]);
  });

  it('delete of an object with a finalizer waits for the finalizer', async () => {
    sandbox.store.create('configmaps', {
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] },
    });
    assert.match(await kubectlOk('delete', 'cm', 'held', '--wait=false'), /configmap "held" deleted/);
    assert.match(
      await kubectlOk('get', 'cm', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}'),
      /^\d{4}-\d\d-\d\dT/,
    );
    await kubectlOk('patch', 'cm', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');
    const gone = await kubectl('get', 'cm', 'held');
    assert.match(gone.stderr, /configmaps "held" not found/);
  });

  it('create ns / create cm (protobuf bodies), create -f and apply -f (server-side validation)', async () => {
    assert.match(await kubectlOk('create', 'namespace', 'demo'), /namespace\/demo created/);
    await kubectlOk(
      'create',
      'configmap',
      'literal',
      '-n',
      'demo',
      '--from-literal=a=1',
      '--from-literal=b=two',
    );
    assert.deepEqual(sandbox.store.get('configmaps', 'demo', 'literal').data, { a: '1', b: 'two' });
    assert.equal(sandbox.store.get('configmaps', 'demo', 'literal').metadata.generateName, undefined);
    const deploy = await kubectl('create', 'deployment', 'web', '--image=nginx', '-n', 'demo');
    assert.match(deploy.stderr, /protobuf bodies are decoded only for ConfigMap and Namespace/);
    const manifest = path.join(tmp, 'cm.yaml');
    const write = (value: string) =>
      writeFileSync(
        manifest,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: demo\ndata:\n  k: ${value}\n`,
      );
    write('one');
    assert.match(await kubectlOk('create', '-f', manifest), /configmap\/applied created/);
    write('two');
    assert.match(await kubectlOk('apply', '-f', manifest), /configmap\/applied configured/);
    assert.deepEqual(sandbox.store.get('configmaps', 'demo', 'applied').data, { k: 'two' });
  });

  it('get --watch sees a change', async () => {
    const child = spawn('kubectl', kubectlArgs(['get', 'nodes', '--watch', '--show-labels']), {
      env: kubectlEnv(),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const waitFor = async (pattern: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(output)) {
        assert.ok(Date.now() < deadline, `kubectl --watch never printed ${pattern}; got:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/edge-2/);
      sandbox.store.mutate('nodes', undefined, 'edge-2', (node) => {
        node.metadata.labels = { ...node.metadata.labels, watched: 'yes' };
      });
      await waitFor(/edge-2 .*watched=yes/);
    } finally {
      child.kill();
    }
  });
});

async function call(method: string, urlPath: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + urlPath, {
    method,
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}

/** A request that must fail with this code and reason and leave the store as it was. */
async function refused(
  code: number,
  reason: string,
  method: string,
  urlPath: string,
  body?: string,
  headers?: Record<string, string>,
) {
  const before = store.resourceVersion;
  const res = await call(method, urlPath, body, headers);
  assert.equal(res.status, code, JSON.stringify(res.body));
  assert.equal(res.body.kind, 'Status');
  assert.equal(res.body.reason, reason);
  assert.equal(res.body.code, code);
  assert.equal(store.resourceVersion, before, 'the store changed');
  return res.body.message as string;
}

describe('REST verbs and bad input', () => {
  it('lists with kind, apiVersion and resourceVersion, and filters by label and field', async () => {
    const list = await call('GET', '/api/v1/nodes?labelSelector=zone%20in%20(east,west)');
    assert.equal(list.body.kind, 'NodeList');
    assert.equal(list.body.apiVersion, 'v1');
    assert.equal(list.body.metadata.resourceVersion, store.resourceVersion);
    assert.deepEqual(list.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort(), [
      'edge-1',
      'edge-2',
    ]);
    assert.equal(list.body.items[0].kind, 'Node');
    const byField = await call('GET', '/api/v1/namespaces?fieldSelector=metadata.name%3Dteam-a');
    assert.deepEqual(
      byField.body.items.map((n: { metadata: { name: string } }) => n.metadata.name),
      ['team-a'],
    );
    const all = await call('GET', '/api/v1/configmaps');
    assert.ok(
      all.body.items.some((c: { metadata: { name: string } }) => c.metadata.name === 'nodegroup-config'),
    );
  });

  it('creates (201), updates with optimistic concurrency and deletes', async () => {
    const created = await call(
      'POST',
      '/apis/infra.kubesphere.io/v1alpha1/nodegroups',
      JSON.stringify({ metadata: { name: 'ng-a' }, spec: { alias: 'A' } }),
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.kind, 'NodeGroup');
    const stale = { ...created.body, spec: { alias: 'B' } };
    const updated = await call(
      'PUT',
      '/apis/infra.kubesphere.io/v1alpha1/nodegroups/ng-a',
      JSON.stringify(stale),
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.body.spec.alias, 'B');
    const message = await refused(
      409,
      'Conflict',
      'PUT',
      '/apis/infra.kubesphere.io/v1alpha1/nodegroups/ng-a',
      JSON.stringify(stale),
    );
    assert.match(message, /the object has been modified/);
    const yaml = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'metadata:\n  name: from-yaml\ndata:\n  k: v\n',
      { 'Content-Type': 'application/yaml' },
    );
    assert.equal(yaml.status, 201);
    assert.equal(yaml.body.metadata.namespace, 'default');
    const deleted = await call('DELETE', '/apis/infra.kubesphere.io/v1alpha1/nodegroups/ng-a');
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.metadata.name, 'ng-a');
    await refused(404, 'NotFound', 'GET', '/apis/infra.kubesphere.io/v1alpha1/nodegroups/ng-a');
  });

  it('answers Status errors for bad input and changes nothing', async () => {
    await refused(400, 'BadRequest', 'POST', '/api/v1/nodes', '{"metadata":');
    await refused(400, 'BadRequest', 'POST', '/api/v1/nodes', 'metadata: [', {
      'Content-Type': 'application/yaml',
    });
    assert.match(
      await refused(400, 'BadRequest', 'POST', '/api/v1/nodes', '{"kind":"Pod","metadata":{"name":"x"}}'),
      /kind in the body \(Pod\).*Node/,
    );
    assert.match(
      await refused(400, 'BadRequest', 'PUT', '/api/v1/nodes/edge-1', '{"metadata":{"name":"edge-2"}}'),
      /does not match the name on the URL/,
    );
    assert.match(
      await refused(404, 'NotFound', 'GET', '/api/v1/widgets'),
      /could not find the requested resource/,
    );
    await refused(404, 'NotFound', 'GET', '/apis/nope.example.com/v1/things');
    await refused(405, 'MethodNotAllowed', 'POST', '/api/v1/nodes/edge-1', '{}');
    await refused(405, 'MethodNotAllowed', 'PUT', '/api/v1/nodes', '{}');
    await refused(
      413,
      'RequestEntityTooLarge',
      'POST',
      '/api/v1/nodes',
      JSON.stringify({ metadata: { name: 'big' }, pad: 'x'.repeat(4 * 1024 * 1024) }),
    );
    await refused(415, 'UnsupportedMediaType', 'POST', '/api/v1/nodes', '{}', {
      'Content-Type': 'text/plain',
    });
    await refused(415, 'UnsupportedMediaType', 'PATCH', '/api/v1/nodes/edge-1', '{}', {
      'Content-Type': 'application/json',
    });
    await refused(
      415,
      'UnsupportedMediaType',
      'PATCH',
      '/apis/infra.kubesphere.io/v1alpha1/nodegroups/x',
      '{}',
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    await refused(422, 'Invalid', 'POST', '/api/v1/nodes', '{"metadata":{"name":"Bad_Name"}}');
    await refused(
      422,
      'Invalid',
      'POST',
      '/api/v1/nodes',
      '{"metadata":{"name":"ok","labels":{"bad key!":"v"}}}',
    );
    const patch =
      '[{"op":"replace","path":"/metadata/labels/zone","value":"x"},{"op":"test","path":"/metadata/name","value":"no"}]';
    await refused(422, 'Invalid', 'PATCH', '/api/v1/nodes/edge-1', patch, {
      'Content-Type': 'application/json-patch+json',
    });
    await refused(422, 'Invalid', 'PATCH', '/api/v1/nodes/edge-1', '{"metadata":{"name":"renamed"}}', {
      'Content-Type': 'application/merge-patch+json',
    });
    await refused(400, 'BadRequest', 'PATCH', '/api/v1/nodes/edge-1', '{"op":"add"}', {
      'Content-Type': 'application/json-patch+json',
    });
    await refused(400, 'BadRequest', 'GET', '/api/v1/nodes?labelSelector=a%20in%20(');
    await refused(404, 'NotFound', 'GET', '/openapi/v2');
    assert.equal(store.get('nodes', undefined, 'edge-1').metadata.labels?.zone, 'east');
  });

  it('serves discovery, aggregated when asked', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const core = await call('GET', '/api', undefined, { Accept: accept });
    assert.match(core.type, /as=APIGroupDiscoveryList/);
    assert.equal(core.body.kind, 'APIGroupDiscoveryList');
    const ns = core.body.items[0].versions[0].resources.find(
      (r: { resource: string }) => r.resource === 'namespaces',
    );
    assert.deepEqual(ns.shortNames, ['ns']);
    const legacy = await call('GET', '/api');
    assert.deepEqual(legacy.body.versions, ['v1']);
    const groups = await call('GET', '/apis');
    assert.ok(groups.body.groups.some((g: { name: string }) => g.name === 'infra.kubesphere.io'));
    const resources = await call('GET', '/apis/apps/v1');
    assert.equal(resources.body.resources[0].name, 'deployments');
    assert.deepEqual(resources.body.resources[0].shortNames, ['deploy']);
  });
});

/** Read a watch stream's lines until `done` says stop or the deadline passes. */
async function watchLines(
  urlPath: string,
  done: (events: { type: string; object: Record<string, unknown> }[]) => boolean,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const res = await fetch(server.url + urlPath, { signal: controller.signal, headers });
  const events: { type: string; object: Record<string, unknown> }[] = [];
  const deadline = setTimeout(() => controller.abort(), 10_000);
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += Buffer.from(chunk).toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        events.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
      if (done(events)) break;
    }
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return events;
}

describe('watch', () => {
  it('resumes from a resourceVersion', async () => {
    const from = store.resourceVersion;
    store.create('configmaps', { metadata: { name: 'w1', namespace: 'default' } });
    store.delete('configmaps', 'default', 'w1');
    const events = await watchLines(
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${from}`,
      (e) => e.length >= 2,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['ADDED', 'DELETED'],
    );
  });

  it('starts with ADDED for existing objects and sends Table rows when asked', async () => {
    const events = await watchLines(
      '/api/v1/nodes?watch=true&labelSelector=zone%3Deast',
      (e) => e.length >= 1,
    );
    assert.equal(events[0]?.type, 'ADDED');
    assert.equal((events[0]?.object.metadata as { name: string } | undefined)?.name, 'edge-1');
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const tables = await watchLines(
      '/api/v1/nodes?watch=true&fieldSelector=metadata.name%3Dedge-1',
      (e) => e.length >= 1,
      {
        Accept: accept,
      },
    );
    const table = tables[0]?.object as {
      kind: string;
      rows: { cells: unknown[]; object: { kind: string } }[];
    };
    assert.equal(table.kind, 'Table');
    assert.equal(table.rows.length, 1);
    assert.equal(table.rows[0]?.cells[0], 'edge-1');
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
  });

  it('reports a version too old to resume from as an ERROR event with 410', async () => {
    const small = new ObjectStore(2);
    small.create('namespaces', { metadata: { name: 'a' } });
    for (let i = 0; i < 5; i++) small.create('nodes', { metadata: { name: `n${i}` } });
    const other = await serve(small);
    try {
      const res = await fetch(`${other.url}/api/v1/nodes?watch=true&resourceVersion=1`);
      const [line] = (await res.text()).trim().split('\n');
      const event = JSON.parse(line!);
      assert.equal(event.type, 'ERROR');
      assert.equal(event.object.code, 410);
      assert.equal(event.object.reason, 'Gone');
    } finally {
      await other.close();
    }
  });
});

describe('@kubernetes/client-node against a started sandbox', () => {
  it('lists, reads, patches and watches', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath); // https with the sandbox's CA and a bearer token
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const nodes = await core.listNode({ labelSelector: 'zone=west' });
    assert.deepEqual(
      nodes.items.map((n) => n.metadata?.name),
      ['edge-2'],
    );
    const cm = await core.readNamespacedConfigMap({
      name: 'nodegroup-config',
      namespace: 'kubesphere-system',
    });
    assert.match(cm.data?.['nodegroup.yaml'] ?? '', /scheduling/);

    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const aborter = await watch.watch(
      '/api/v1/nodes',
      { labelSelector: 'zone=west' },
      (type, obj: { metadata?: { labels?: Record<string, string> } }) =>
        seen.push(`${type} ${obj.metadata?.labels?.patched ?? ''}`),
      () => {},
    );
    try {
      const patched = await core.patchNode(
        { name: 'edge-2', body: { metadata: { labels: { patched: 'by-client' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      assert.equal(patched.metadata?.labels?.patched, 'by-client');
      const deadline = Date.now() + 10_000;
      while (!seen.includes('MODIFIED by-client')) {
        assert.ok(Date.now() < deadline, `watch saw only ${seen.join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(seen[0], 'ADDED ');
    } finally {
      aborter.abort();
    }
  });
});
