/**
 * Twin import benchmark (issue 11): import a live environment of 10,000 nodes (a standalone
 * sandbox process, reached over HTTP as a live one would be) and start a twin from it. Prints the
 * import time (goal <= 3 s, cold: client-node's load included) and the twin's memory against the
 * size of the state's JSON (goal <= 2x), both from this one run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/sandbox';
import { importTwin, writeTwinFile } from '../src/twin/import';
import { directTarget, startStandalone } from '../test/twin/live-sandbox';
import { fmt, report } from './harness';

const NODES = 10_000;

/** Heap and external memory after full collections (twice: finalizers free more on the second). */
function settledHeap(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** A sandbox state with the fixture and NODES more nodes shaped like the fixture's workers. */
async function liveState(): Promise<string> {
  const seed = await startSandbox();
  try {
    const template = seed.store.get('nodes', undefined, 'worker-1');
    for (let i = 0; i < NODES; i++) {
      const name = `node-${String(i).padStart(5, '0')}`;
      const node = structuredClone(template);
      node.metadata = {
        name,
        labels: {
          ...template.metadata.labels,
          'kubernetes.io/hostname': name,
          'topology.kubernetes.io/zone': `zone-${i % 8}`,
        },
      };
      const status = node['status'] as { addresses: { type: string; address: string }[] };
      status.addresses = [
        { type: 'InternalIP', address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        { type: 'Hostname', address: name },
      ];
      seed.store.create('nodes', node);
    }
    return JSON.stringify(seed.store.dump());
  } finally {
    await seed.stop();
  }
}

interface TwinMemory {
  startMs: number;
  bytes: number;
  servedBytes: number;
}

/**
 * In a fresh process (nothing else on its heap): the memory a sandbox started from the state file
 * holds (the parsed state, which it adopts and may reset to, included), after GC, against the heap
 * before the file was read; then once a full node list was served (the store caches each object's
 * JSON for the HTTP hot path).
 */
async function twinMemory(file: string): Promise<TwinMemory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const baseline = settledHeap(gc);
  const t0 = performance.now();
  const twin = await startSandbox({ state: JSON.parse(readFileSync(file, 'utf8')) });
  const startMs = performance.now() - t0;
  const bytes = settledHeap(gc) - baseline;
  twin.store.listJSON('nodes');
  const servedBytes = settledHeap(gc) - baseline;
  await twin.stop();
  return { startMs, bytes, servedBytes };
}

function measureTwin(file: string): TwinMemory {
  const run = spawnSync(process.execPath, ['--expose-gc', __filename, MEASURE_FLAG, file], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`measuring the twin failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as TwinMemory;
}

const MEASURE_FLAG = '--measure-twin';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'twin-bench-'));
  const statePath = join(dir, 'live.json');
  writeFileSync(statePath, await liveState());
  const live = await startStandalone(dir, ['--state', statePath]);
  try {
    const target = { ...directTarget(live) };
    const t0 = performance.now();
    const imported = await importTwin(target);
    const cold = performance.now() - t0;
    const t1 = performance.now();
    await importTwin(target);
    const warm = performance.now() - t1;
    const nodes = imported.state.objects['nodes']!.length;
    if (nodes < NODES) throw new Error(`imported ${nodes} nodes, expected at least ${NODES}`);
    const twinFile = join(dir, 'twin.json');
    const t2 = performance.now();
    writeTwinFile(twinFile, imported);
    const written = performance.now() - t2;
    const stateBytes = statSync(twinFile).size;
    const objectsBytes = Buffer.byteLength(JSON.stringify(imported.state.objects));

    const twin = measureTwin(twinFile);

    const mib = (n: number) => `${fmt(n / 1024 / 1024, 1)} MiB`;
    report('twin import (issue 11)', [
      ['nodes imported', `${nodes}`],
      ['import, cold (client-node load included)', `${fmt(cold / 1000)} s (goal <= 3 s)`],
      ['import, warm', `${fmt(warm / 1000)} s`],
      ['write the state file', `${fmt(written, 0)} ms`],
      ['state file (JSON, read set included)', mib(stateBytes)],
      ['live state JSON (the objects imported)', mib(objectsBytes)],
      ['start a twin from it (own process)', `${fmt(twin.startMs, 0)} ms`],
      ['twin memory (heap + external, after GC)', mib(twin.bytes)],
      ['ratio twin memory / live state JSON', `${fmt(twin.bytes / objectsBytes)}x (goal <= 2x)`],
      [
        'twin memory once a full node list was served',
        `${mib(twin.servedBytes)} (${fmt(twin.servedBytes / objectsBytes)}x)`,
      ],
    ]);
  } finally {
    await live.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const entry =
  process.argv[2] === MEASURE_FLAG
    ? twinMemory(process.argv[3]!).then((m) => {
        process.stdout.write(JSON.stringify(m));
      })
    : main();
entry.catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
