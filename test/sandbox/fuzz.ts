/**
 * A seeded request fuzzer for both listeners: methods, paths (real routes, odd encodings, NULs,
 * authorities), query values, bodies (valid, malformed, deep, big), headers and tokens. Bounded
 * by a count and a time budget. It checks what must hold for every request: an answer (no reset),
 * no 5xx, and, for a batch in which every write was refused, a store left unchanged.
 */
import type { Sandbox } from '../../src/sandbox/sandbox';
import { accessToken } from '../sandbox-http';
import { RawClient, type RawRequest } from './raw-client';

/** mulberry32: a small, fast, seeded generator. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FOO'];
const BASES = [
  '/version',
  '/version/',
  '/api',
  '/api/v1',
  '/apis',
  '/apis/apps/v1',
  '/api/v1/nodes',
  '/api/v1/nodes/worker-1',
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/kubesphere-system/pods',
  '/apis/apps/v1/namespaces/kubesphere-system/deployments/nodegroup-apiserver',
  '/api/v1/services',
  '/apis/infra.kubesphere.io/v1alpha1/nodegroups',
  '/apis/tenant.kubesphere.io/v1beta1/workspaces',
  '/kapis/infra.kubesphere.io/v1alpha1/nodegroups',
  '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a',
  '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/edge-a/nodes/worker-9',
  '/kapis/clusters/host/infra.kubesphere.io/v1alpha1/nodegroups',
  '/clusters/nope/api/v1/nodes',
  '/oauth/token',
  '/sandbox/v1/faults',
  '/sandbox/v1/faults/nope',
  '/openapi/v3',
  '/openapi/v2',
  '/healthz',
];
const ODD = [
  '//%2f%2f',
  '//a:99999/',
  '//%zz',
  '//x%00y',
  '%',
  '%2e%2e',
  '..',
  '\u00e9',
  '%ff%fe',
  '%00',
  '~',
  '',
  ';x',
  '%25',
];
const QUERY = [
  'watch=True',
  'watch=0',
  'watch=yes',
  'watch=',
  'timeoutSeconds=abc',
  'timeoutSeconds=-1',
  'timeoutSeconds=99999999999',
  'labelSelector=a%20in%20(',
  'labelSelector=!!',
  'fieldSelector=x%3D%3Dy',
  'fieldSelector=metadata.name%3Dworker-1',
  'limit=-5',
  'resourceVersion=abc',
  'resourceVersion=999999999',
  'dryRun=All',
  'page=-1',
  'limit=x',
  'sortBy=%00',
  'includeObject=Nope',
  'a=%zz',
  '%zz=1',
  '&&&',
  'pretty=1',
];
const TYPES = [
  'application/json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/yaml',
  'application/x-www-form-urlencoded',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  'application/apply-patch+yaml',
  '',
  ';;;',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function body(rand: () => number): string | Buffer[] | undefined {
  const r = rand();
  if (r < 0.25) return undefined;
  if (r < 0.35) return `${'['.repeat(300)}${']'.repeat(300)}`;
  if (r < 0.45) return `${'{"a":'.repeat(150)}1${'}'.repeat(150)}`;
  if (r < 0.55) return '{"metadata":{"name":"Bad_Name!"},"spec":{}}';
  if (r < 0.62) return '[{"op":"test","path":"/spec/x","value":1},{"op":"remove","path":"/nope"}]';
  if (r < 0.7) return '{not json';
  if (r < 0.75) return [Buffer.from('{"a":"'), Buffer.alloc(64 * 1024, 'x'), Buffer.from('"}')];
  if (r < 0.8) return 'grant_type=password&username=admin&password=wrong';
  if (r < 0.85) return 'null';
  if (r < 0.9) return '"\u0000\ud800"';
  return JSON.stringify({ metadata: { name: 'x'.repeat(300), labels: { '-bad': 'v' } } });
}

export interface FuzzOptions {
  seed: number;
  count: number;
  timeBudgetMs: number;
  concurrency?: number;
}

export interface FuzzResult {
  sent: number;
  byStatus: Record<string, number>;
  failures: string[];
  elapsedMs: number;
  batches: number;
  unchangedChecks: number;
}

/** The store's resourceVersion once the controller has stopped writing (it reacts to earlier batches). */
async function settled(sandbox: Sandbox): Promise<string> {
  let last = sandbox.store.resourceVersion;
  for (let quiet = 0, i = 0; quiet < 3 && i < 1000; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = sandbox.store.resourceVersion;
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

/** Is this a request that could write, had it been accepted? */
const writes = (r: RawRequest) => !['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(r.method);

export async function fuzzSandbox(sandbox: Sandbox, options: FuzzOptions): Promise<FuzzResult> {
  const rand = seeded(options.seed);
  const admin = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  const viewer = await accessToken(sandbox.url, sandbox.readonly.username, sandbox.readonly.password);
  const tokens = [admin, admin, viewer, 'garbage', `${admin.slice(0, -2)}xx`, '', 'a.b.c'];
  const concurrency = options.concurrency ?? 16;
  const clients = [
    new RawClient(sandbox.url, undefined, concurrency),
    new RawClient(sandbox.kubeUrl, sandbox.caPem, concurrency),
  ];
  const result: FuzzResult = {
    sent: 0,
    byStatus: {},
    failures: [],
    elapsedMs: 0,
    batches: 0,
    unchangedChecks: 0,
  };
  const started = performance.now();

  const nextRequest = (): RawRequest => {
    let path = pick(rand, BASES);
    if (rand() < 0.3) path += `/${pick(rand, ODD)}`;
    if (rand() < 0.1) path = pick(rand, ODD).startsWith('/') ? pick(rand, ODD) : `/${pick(rand, ODD)}`;
    if (rand() < 0.4) path += `?${pick(rand, QUERY)}${rand() < 0.3 ? `&${pick(rand, QUERY)}` : ''}`;
    const headers: Record<string, string> = {};
    const token = pick(rand, tokens);
    if (rand() < 0.85) headers.authorization = rand() < 0.9 ? `Bearer ${token}` : `Basic ${token}`;
    const b = body(rand);
    if (b !== undefined || rand() < 0.2) headers['content-type'] = pick(rand, TYPES);
    if (rand() < 0.15)
      headers.accept = pick(rand, [
        'application/json;as=Table;v=v1;g=meta.k8s.io',
        '*/*',
        'x/y',
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      ]);
    if (rand() < 0.05) headers['x-odd'] = 'a'.repeat(Math.floor(rand() * 20_000));
    // Watches are long-lived by design: the fuzzer takes their status and hangs up.
    const stream = /[?&]watch=[^0&]/.test(path);
    return { method: pick(rand, METHODS), path, headers, body: b, stream };
  };

  while (result.sent < options.count && performance.now() - started < options.timeBudgetMs) {
    const batch = Array.from({ length: Math.min(concurrency, options.count - result.sent) }, nextRequest);
    const before = await settled(sandbox);
    const replies = await Promise.all(
      batch.map((r, i) =>
        clients[i % 2]!.send(r, 15_000).then(
          (reply) => ({ r, reply }),
          (err: Error) => ({ r, err }),
        ),
      ),
    );
    result.sent += batch.length;
    result.batches++;
    let accepted = false;
    for (const x of replies) {
      const where = `${x.r.method} ${x.r.path.slice(0, 120)}`;
      if ('err' in x) {
        result.failures.push(`${where}: no answer (${x.err.message})`);
        continue;
      }
      const status = x.reply.status;
      result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
      if (status >= 500) result.failures.push(`${where}: ${status} ${x.reply.body.slice(0, 200)}`);
      if (status < 400 && writes(x.r)) accepted = true;
    }
    if (!accepted) {
      // The controller settles too: a refused request must not have queued anything either.
      result.unchangedChecks++;
      if ((await settled(sandbox)) !== before)
        result.failures.push(
          `store changed by a batch of refused requests: ${replies
            .filter((x) => writes(x.r))
            .map((x) => `${x.r.method} ${x.r.path} -> ${'reply' in x ? x.reply.status : 'no answer'}`)
            .join('; ')
            .slice(0, 400)}`,
        );
    }
    if (result.failures.length > 20) break;
  }
  for (const c of clients) c.close();
  result.elapsedMs = Math.round(performance.now() - started);
  return result;
}
