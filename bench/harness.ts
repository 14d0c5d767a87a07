/** Small helpers shared by the benchmarks: timing, load loops, printing ratios. */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Timing {
  median: number;
  p99: number;
  mean: number;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p99: at(0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

export async function timeIt(fn: () => unknown | Promise<unknown>, runs: number): Promise<Timing> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** Time several functions in turns (a, b, a, b, ...), `runs` each: noise falls on all alike. */
export async function timeInterleaved(
  fns: (() => unknown | Promise<unknown>)[],
  runs: number,
): Promise<Timing[]> {
  const samples: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now();
      await fn();
      samples[k]!.push(performance.now() - start);
    }
  }
  return samples.map(summarize);
}

/** Requests per second for `total` GETs of `path` with `concurrency` in flight (bounded loop). */
export async function throughput(
  origin: string,
  path: string,
  headers: Record<string, string>,
  total: number,
  concurrency = 16,
): Promise<number> {
  const pool = new Pool(origin, { connections: concurrency });
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const res = await pool.request({ method: 'GET', path, headers });
      if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`);
      await res.body.arrayBuffer();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return total / seconds;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

export function report(title: string, rows: [string, string][]): void {
  process.stdout.write(`\n${title}\n`);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
}

/** An access token from a sandbox (password grant): the tests' helper, shared. */
export { accessToken } from '../test/sandbox-http';
