/**
 * Sandbox core benchmark (issue 2): GET throughput against a bare node:http server returning the
 * same bytes; list latency and memory with 10,000 nodes; a selector list matching 1,000 of them
 * against listing 1,000 nodes in total; start-up to first request served. Prints ratios.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { type Sandbox, startSandbox } from '../src/sandbox/sandbox';
import { accessToken, fmt, report, type Timing, throughput, timeInterleaved, timeIt } from './harness';

function addNodes(sandbox: Sandbox, count: number, labelEvery: number, prefix: string): void {
  for (let i = 0; i < count; i++) {
    const labels: Record<string, string> = { 'bench/set': prefix };
    if (i % labelEvery === 0) labels['bench/selected'] = 'yes';
    sandbox.store.create('nodes', {
      metadata: { name: `${prefix}-${i}`, labels },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.4' } },
    });
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sandbox = await startSandbox();
  const auth = {
    authorization: `Bearer ${await accessToken(sandbox.url, sandbox.username, sandbox.password)}`,
  };
  const firstServed = performance.now() - t0;

  // 1. GET throughput: sandbox vs a bare server answering the same bytes
  const path = '/api/v1/nodes/worker-1';
  const body = await (await request(`${sandbox.url}${path}`, { headers: auth })).body.text();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  await throughput(sandbox.url, path, auth, 2_000); // warm-up
  await throughput(bareUrl, path, auth, 2_000);
  // rounds in turns, so that a neighbour's load on the shared machine falls on both servers alike
  const rounds = 5;
  const perRound = 4_000;
  let sandboxSeconds = 0;
  let bareSeconds = 0;
  for (let i = 0; i < rounds; i++) {
    sandboxSeconds += perRound / (await throughput(sandbox.url, path, auth, perRound));
    bareSeconds += perRound / (await throughput(bareUrl, path, auth, perRound));
  }
  const sandboxRps = (rounds * perRound) / sandboxSeconds;
  const bareRps = (rounds * perRound) / bareSeconds;
  bare.close();

  // 2. lists: 1,000 nodes in total vs 10,000 nodes with a selector matching 1,000
  const small = await startSandbox();
  const smallAuth = {
    authorization: `Bearer ${await accessToken(small.url, small.username, small.password)}`,
  };
  addNodes(small, 1_000, 1, 'small');
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {}); // run-all passes --expose-gc
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  addNodes(sandbox, 10_000, 10, 'big');
  gc();
  const heapPer10k = process.memoryUsage().heapUsed - heapBefore;
  const list = (s: Sandbox, h: Record<string, string>, query: string) => async () => {
    const res = await request(`${s.url}/api/v1/nodes${query}`, { headers: h });
    await res.body.arrayBuffer();
  };
  const listSmall = list(small, smallAuth, '');
  const listSelected = list(sandbox, auth, '?labelSelector=bench%2Fselected%3Dyes');
  await timeIt(listSmall, 10);
  await timeIt(listSelected, 10);
  // interleaved, so that a GC pause or a neighbour's load on the shared machine hits both alike
  const [list1k, selector1k] = (await timeInterleaved([listSmall, listSelected], 100)) as [Timing, Timing];
  const list10k = await timeIt(list(sandbox, auth, ''), 20);

  report('sandbox core (issue 2)', [
    ['start-up to first request served', `${fmt(firstServed, 0)} ms (goal: well under 1000 ms)`],
    ['GET throughput, sandbox', `${fmt(sandboxRps, 0)} req/s`],
    ['GET throughput, bare node:http, same bytes', `${fmt(bareRps, 0)} req/s`],
    ['ratio sandbox / bare', `${fmt(sandboxRps / bareRps)}x (goal >= 0.5x)`],
    ['list 1,000 nodes (median)', `${fmt(list1k.median)} ms`],
    ['list 10,000 nodes (median)', `${fmt(list10k.median)} ms`],
    ['list 10,000 with selector matching 1,000 (median)', `${fmt(selector1k.median)} ms`],
    ['ratio selector-1k-of-10k / list-1k', `${fmt(selector1k.median / list1k.median)}x (goal <= 1.5x)`],
    ['heap for 10,000 nodes (after GC)', `${fmt(heapPer10k / 1024 / 1024, 1)} MiB`],
  ]);
  await small.stop();
  await sandbox.stop();
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
