/**
 * Controller benchmark (issue 3), through HTTP as a client sees it:
 *  - convergence latency: time from a KAPI bind's answer to the node's group label seen through a
 *    `kubectl get --watch`-style stream, median and p99 over 1,000 binds (goal: median <= 5 ms);
 *  - bind throughput with 10,000 nodes: every node bound (16 requests in flight) until all labels
 *    are seen through the watch.
 * Baseline in the same run, over the same sandbox and watch: the client writes a label itself with
 * a merge PATCH (no controller in between). Latency samples are taken in turns (bind, patch, ...)
 * so that a neighbour's load on the shared machine falls on both alike.
 */
import { performance } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { KAPI_PREFIX, NODE_GROUP_LABEL } from '../src/constants';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import type { KubeObject } from '../src/sandbox/store/object';
import { accessToken, fmt, report, summarize } from './harness';

const BASELINE_LABEL = 'bench.example.com/value';

/** One watch stream on nodes; `expect` resolves when a node shows a label value. */
class NodeWatch {
  private readonly waiters = new Map<string, (at: number) => void>();
  private readonly abort = new AbortController();
  private buffered = '';

  static async open(sandbox: Sandbox, headers: Record<string, string>): Promise<NodeWatch> {
    const watch = new NodeWatch();
    const res = await request(
      `${sandbox.url}/api/v1/nodes?watch=1&resourceVersion=${sandbox.store.resourceVersion}`,
      { headers, signal: watch.abort.signal },
    );
    if (res.statusCode !== 200) throw new Error(`watch nodes: ${res.statusCode}`);
    res.body.setEncoding('utf8');
    res.body.on('data', (chunk: string) => watch.onData(chunk));
    res.body.on('error', () => {}); // closing the stream aborts it
    return watch;
  }

  /** Resolves with the time the watch delivered `label=value` on `node`; register before writing. */
  expect(node: string, label: string, value: string): Promise<number> {
    return new Promise((resolve) => this.waiters.set(`${node}\0${label}\0${value}`, resolve));
  }

  close(): void {
    this.abort.abort();
  }

  private onData(chunk: string): void {
    const at = performance.now();
    this.buffered += chunk;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      newline = this.buffered.indexOf('\n');
      if (line.trim() === '') continue;
      const { object } = JSON.parse(line) as { object: KubeObject };
      for (const [label, value] of Object.entries(object.metadata.labels ?? {})) {
        const key = `${object.metadata.name}\0${label}\0${value}`;
        const waiter = this.waiters.get(key);
        if (waiter) {
          this.waiters.delete(key);
          waiter(at);
        }
      }
    }
  }
}

async function send(
  pool: Pool,
  method: 'POST' | 'PATCH',
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const res = await pool.request({ method, path, headers, body });
  if (res.statusCode !== 200)
    throw new Error(`${method} ${path}: ${res.statusCode} ${await res.body.text()}`);
  await res.body.arrayBuffer();
}

const bindPath = (group: string, node: string) => `${KAPI_PREFIX}/nodegroups/${group}/nodes/${node}`;
const labelPatch = (value: string) => JSON.stringify({ metadata: { labels: { [BASELINE_LABEL]: value } } });

/**
 * Milliseconds from the answer to the label seen (0 when the watch delivered it first), and from
 * sending the request to the label seen (the whole round a client waits).
 */
async function timed(write: () => Promise<void>, seen: Promise<number>): Promise<[number, number]> {
  const sent = performance.now();
  await write();
  const answered = performance.now();
  const at = await seen;
  return [Math.max(0, at - answered), at - sent];
}

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const auth = {
    authorization: `Bearer ${await accessToken(sandbox.url, sandbox.username, sandbox.password)}`,
  };
  const pool = new Pool(sandbox.url, { connections: 16 });
  const json = { ...auth, 'content-type': 'application/json' };
  const merge = { ...auth, 'content-type': 'application/merge-patch+json' };
  const groups = ['bench-a', 'bench-b'];
  for (const name of groups)
    await send(pool, 'POST', `${KAPI_PREFIX}/nodegroups`, json, JSON.stringify({ metadata: { name } }));
  const watch = await NodeWatch.open(sandbox, auth);

  // 1. convergence latency: 50 nodes, each bind moves a node to the other group
  const nodes = Array.from({ length: 50 }, (_, i) => `lat-${i}`);
  for (const name of nodes) sandbox.store.create('nodes', { metadata: { name } });
  const bindOnce = (i: number) => {
    const node = nodes[i % nodes.length]!;
    const group = groups[Math.floor(i / nodes.length) % 2]!;
    const seen = watch.expect(node, NODE_GROUP_LABEL, group);
    return timed(() => send(pool, 'POST', bindPath(group, node), auth), seen);
  };
  const patchOnce = (i: number) => {
    const node = nodes[i % nodes.length]!;
    const value = `v${i}`;
    const seen = watch.expect(node, BASELINE_LABEL, value);
    return timed(() => send(pool, 'PATCH', `/api/v1/nodes/${node}`, merge, labelPatch(value)), seen);
  };
  for (let i = 0; i < 100; i++) {
    await bindOnce(i); // warm-up
    await patchOnce(i);
  }
  const bindSamples: [number, number][] = [];
  const patchSamples: [number, number][] = [];
  for (let i = 100; i < 1_100; i++) {
    bindSamples.push(await bindOnce(i));
    patchSamples.push(await patchOnce(i));
  }
  const bind = summarize(bindSamples.map(([fromAnswer]) => fromAnswer));
  const patch = summarize(patchSamples.map(([fromAnswer]) => fromAnswer));
  const bindRound = summarize(bindSamples.map(([, fromSent]) => fromSent));
  const patchRound = summarize(patchSamples.map(([, fromSent]) => fromSent));

  // 2. throughput with 10,000 nodes: bind every one, and, as the baseline, label every one
  const many = Array.from({ length: 10_000 }, (_, i) => `many-${i}`);
  for (const name of many) sandbox.store.create('nodes', { metadata: { name } });
  const allSeen = async (
    write: (node: string) => Promise<void>,
    expect: (node: string) => Promise<number>,
  ) => {
    const start = performance.now();
    const seen = Promise.all(many.map(expect));
    let next = 0;
    const worker = async () => {
      while (next < many.length) await write(many[next++]!);
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const answered = performance.now();
    await seen;
    return { answered: (answered - start) / 1000, converged: (performance.now() - start) / 1000 };
  };
  const labelled = await allSeen(
    (node) => send(pool, 'PATCH', `/api/v1/nodes/${node}`, merge, labelPatch('all')),
    (node) => watch.expect(node, BASELINE_LABEL, 'all'),
  );
  const bound = await allSeen(
    (node) => send(pool, 'POST', bindPath('bench-a', node), auth),
    (node) => watch.expect(node, NODE_GROUP_LABEL, 'bench-a'),
  );
  const perSecond = (seconds: number) => many.length / seconds;

  report('nodegroup controller (issue 3)', [
    ['bind answer -> label seen through a watch, median', `${fmt(bind.median, 3)} ms (goal <= 5 ms)`],
    ['bind answer -> label seen through a watch, p99', `${fmt(bind.p99, 3)} ms`],
    ['baseline: label PATCH answer -> seen, median', `${fmt(patch.median, 3)} ms`],
    ['baseline: label PATCH answer -> seen, p99', `${fmt(patch.p99, 3)} ms`],
    ['bind sent -> label seen, median / p99', `${fmt(bindRound.median, 3)} / ${fmt(bindRound.p99, 3)} ms`],
    [
      'baseline: PATCH sent -> seen, median / p99',
      `${fmt(patchRound.median, 3)} / ${fmt(patchRound.p99, 3)} ms`,
    ],
    ['ratio bind / PATCH, sent -> seen, median', `${fmt(bindRound.median / patchRound.median)}x`],
    ['binds of 10,000 nodes, answered', `${fmt(perSecond(bound.answered), 0)} /s`],
    ['binds of 10,000 nodes, converged (labels seen)', `${fmt(perSecond(bound.converged), 0)} /s`],
    ['baseline: label PATCHes of 10,000 nodes, seen', `${fmt(perSecond(labelled.converged), 0)} /s`],
    ['ratio bind / PATCH throughput (converged)', `${fmt(labelled.converged / bound.converged)}x`],
  ]);
  watch.close();
  await pool.close();
  await sandbox.stop();
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
