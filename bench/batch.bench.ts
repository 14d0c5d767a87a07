/**
 * Batch bind of 1,000 nodes from a selector, verified (one LIST, a ledger entry per node, the
 * KAPI POSTs at DEFAULT_BATCH_CONCURRENCY in flight, one watch wait), against the baseline: 1,000
 * raw KAPI POSTs at the same concurrency with their labels awaited by one watch. Both in one
 * run, on one sandbox, alternating; memory: heap and RSS growth over a batch, after a GC.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { NODE_GROUP_LABEL } from '../src/constants';
import { KubeReader } from '../src/kube/reader';
import { RESOURCES } from '../src/kube/resources';
import {
  createNodeGroup,
  Flow,
  openRunContext,
  parseRunConfig,
  sandboxAccess,
  undoScenario,
} from '../src/runbook';
import { BatchBinder, DEFAULT_BATCH_CONCURRENCY, mapBounded } from '../src/runbook/batch';
import { startSandbox } from '../src/sandbox/sandbox';
import { addNodes } from '../test/runbook/batch/add-nodes';
import { accessToken, fmt, report } from './harness';

const NODES = 1000;
const ROLE = 'node-role.kubernetes.io/bench';
const ROUNDS = 3;
const gc = (globalThis as { gc?: () => void }).gc;

async function main() {
  const sandbox = await startSandbox();
  const reports = mkdtempSync(join(tmpdir(), 'batch-bench-'));
  const names = await addNodes(sandbox, NODES, { prefix: 'bench', labels: { [ROLE]: '' } });
  const config = parseRunConfig({ target: 'sandbox', reportsDir: reports, waitTimeoutMs: 60_000 }, {});
  const ctx = openRunContext({
    config,
    runId: '260101000000-bench',
    worker: '0',
    target: sandboxAccess(sandbox),
  });
  const kube = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
  const token = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  const pool = new Pool(sandbox.url, { connections: DEFAULT_BATCH_CONCURRENCY });
  const unbindAll = (group: string) => {
    for (const n of sandbox.store.list('nodes', { labelSelector: `${NODE_GROUP_LABEL}=${group}` }).items) {
      const labels = { ...n.metadata.labels };
      delete labels[NODE_GROUP_LABEL];
      sandbox.store.update('nodes', { ...n, metadata: { ...n.metadata, labels } });
    }
  };

  const raw = async (group: string) => {
    await mapBounded(names, DEFAULT_BATCH_CONCURRENCY, async (name) => {
      const res = await pool.request({
        method: 'POST',
        path: `/kapis/infra.kubesphere.io/v1alpha1/nodegroups/${group}/nodes/${name}`,
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`bind ${name}: ${res.statusCode}`);
    });
    await kube.waitForList(RESOURCES.node, (items) => items.length >= NODES, {
      labelSelector: `${NODE_GROUP_LABEL}=${group}`,
      timeoutMs: 60_000,
    });
  };

  let scenario = 0;
  const batch = async (group: string) => {
    const op = new Flow(ctx, `bench-${++scenario}`);
    await new BatchBinder(op).bind('node', group, { selector: ROLE });
    return op;
  };

  const op = new Flow(ctx, 'bench-groups');
  await createNodeGroup(op, 'raw', {});
  await createNodeGroup(op, 'batched', {});
  const rawMs: number[] = [];
  const batchMs: number[] = [];
  let heapGrowth = 0;
  let rssGrowth = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    await raw('raw');
    rawMs.push(performance.now() - t);
    unbindAll('raw');
    gc?.();
    const m0 = process.memoryUsage();
    t = performance.now();
    const done = await batch('batched');
    batchMs.push(performance.now() - t);
    gc?.();
    const m1 = process.memoryUsage();
    heapGrowth = Math.max(heapGrowth, m1.heapUsed - m0.heapUsed);
    rssGrowth = Math.max(rssGrowth, m1.rss - m0.rss);
    ctx.recorder.run.scenarios.length = 0; // each round is its own scenario's evidence
    for (const e of ctx.ledger.pending(done.scenario)) ctx.ledger.markUndone(e.seq);
    unbindAll('batched');
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(batchMs) / median(rawMs);
  const mb = (b: number) => `${fmt(b / 1024 / 1024, 1)} MB`;
  report(
    `batch bind of ${NODES} nodes from a selector, verified (concurrency ${DEFAULT_BATCH_CONCURRENCY}, ${ROUNDS} rounds, medians)`,
    [
      ['raw KAPI POSTs + labels awaited', `${fmt(median(rawMs), 0)} ms`],
      ['batch step (ledger, evidence, one wait)', `${fmt(median(batchMs), 0)} ms`],
      ['ratio batch / raw (goal <= 1.3)', `${fmt(ratio)}x`],
      ['heap growth over one batch (after GC)', mb(heapGrowth)],
      ['RSS growth over one batch', mb(rssGrowth)],
      ['RSS of the process at the end', mb(process.memoryUsage().rss)],
    ],
  );
  await undoScenario(ctx, ctx.ledger.pending('bench-groups')).catch(() => undefined);
  await pool.close();
  await ctx.close();
  await sandbox.stop();
  rmSync(reports, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
