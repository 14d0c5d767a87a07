/**
 * The large fuzz run (issue 17): >= 200,000 seeded requests to both listeners of one sandbox;
 * prints requests/s, the status mix and any failure (5xx, reset, store changed by refused
 * requests). `node dist/bench/sandbox-fuzz.bench.js [count] [seed]`.
 */
import { startSandbox } from '../src/sandbox/sandbox';
import { fuzzSandbox } from '../test/sandbox/fuzz';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200_000);
  const seed = Number(process.argv[3] ?? 2026);
  const sandbox = await startSandbox();
  try {
    const result = await fuzzSandbox(sandbox, { seed, count, timeBudgetMs: 15 * 60_000 });
    const rate = Math.round((result.sent / result.elapsedMs) * 1000);
    process.stdout.write(
      `sandbox fuzz: ${result.sent} requests (seed ${seed}) in ${(result.elapsedMs / 1000).toFixed(1)} s, ${rate} req/s; ` +
        `${result.unchangedChecks} refused batches checked unchanged; failures ${result.failures.length}\n` +
        `  statuses: ${JSON.stringify(result.byStatus)}\n`,
    );
    for (const failure of result.failures) process.stdout.write(`  FAIL ${failure}\n`);
    const alive = (await fetch(`${sandbox.url}/version`)).status === 200;
    process.stdout.write(`  server alive after the run: ${alive}\n`);
    if (result.failures.length || !alive || result.sent < count) process.exitCode = 1;
  } finally {
    await sandbox.stop();
  }
}

void main();
