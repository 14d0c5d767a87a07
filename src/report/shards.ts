/**
 * Shards of one run on several machines (`nodegroup-runbooks run --shard i/N`, the same run id
 * everywhere): each shard's reports folder gets `shard.json` (run id, i/N, its scenarios), and
 * `report --merge DIR...` puts their Allure results, evidence (runs/<id>/) and ledgers
 * (ledger/<id>/) into one reports folder. A duplicate or missing shard is named; shards of two
 * different runs, or two shards with the same scenario, are refused before anything is copied.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARD_FILE = 'shard.json';

export interface ShardInfo {
  runId: string;
  index: number;
  total: number;
  /** `uri:line name` of each scenario the shard ran. */
  scenarios: string[];
}

export class MergeError extends Error {
  override name = 'MergeError';
}

/** `--shard i/N` in cucumber's argv, if any. */
export function shardOf(argv: readonly string[]): { index: number; total: number } | undefined {
  const at = argv.findIndex((a) => a === '--shard' || a.startsWith('--shard='));
  if (at === -1) return undefined;
  const value = argv[at]!.includes('=') ? argv[at]!.slice('--shard='.length) : argv[at + 1];
  const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]))
    throw new MergeError(
      `--shard must be i/N with 1 <= i <= N (e.g. --shard 1/3), got ${value ?? '(nothing)'}`,
    );
  return { index: Number(m[1]), total: Number(m[2]) };
}

export function writeShardInfo(reportsDir: string, info: ShardInfo): void {
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, SHARD_FILE), `${JSON.stringify(info, null, 1)}\n`);
}

function readShard(dir: string): ShardInfo {
  const file = join(dir, SHARD_FILE);
  if (!existsSync(file))
    throw new MergeError(
      `${dir} is not the reports folder of a shard (no ${SHARD_FILE}): give the folders runs with --shard i/N wrote (RUNBOOK_REPORTS_DIR, reports/ by default)`,
    );
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ShardInfo;
    if (typeof info.runId !== 'string' || !Number.isInteger(info.index) || !Number.isInteger(info.total))
      throw new Error('no run id or shard number');
    return info;
  } catch (err) {
    throw new MergeError(`${file} is not a shard record (${(err as Error).message})`);
  }
}

/** Every check, before anything is copied; returns the shards in order. */
export function checkShards(dirs: readonly string[]): { dir: string; info: ShardInfo }[] {
  if (dirs.length === 0)
    throw new MergeError('--merge needs the reports folders of the shards: --merge DIR DIR...');
  const shards = dirs.map((d) => ({ dir: resolve(d), info: readShard(resolve(d)) }));
  const first = shards[0]!;
  for (const s of shards) {
    if (s.info.runId !== first.info.runId)
      throw new MergeError(
        `results of two different runs: ${first.info.runId} (${first.dir}) and ${s.info.runId} (${s.dir}); shards of one run share RUNBOOK_RUN_ID`,
      );
    if (s.info.total !== first.info.total)
      throw new MergeError(
        `${s.dir} is shard ${s.info.index}/${s.info.total}, ${first.dir} is of ${first.info.total} shards`,
      );
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.info.index);
    if (other)
      throw new MergeError(`shard ${s.info.index}/${s.info.total} is given twice: ${other} and ${s.dir}`);
    seen.set(s.info.index, s.dir);
  }
  const missing = Array.from({ length: first.info.total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MergeError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.info.total}`).join(', ')} of run ${first.info.runId} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  const owner = new Map<string, string>();
  for (const s of shards)
    for (const scenario of s.info.scenarios) {
      const before = owner.get(scenario);
      if (before) throw new MergeError(`shards overlap: ${scenario} is in ${before} and ${s.dir}`);
      owner.set(scenario, s.dir);
    }
  return shards.sort((a, b) => a.info.index - b.info.index);
}

/**
 * Each shard's workers are numbered from 0 (`evidence-worker-0.json`, `worker-0-<pid>.jsonl`): the
 * files are copied as `...shard-<i>-worker-...` so two shards never overwrite each other.
 */
function copyPerShard(from: string, to: string, index: number): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) {
    const name = f.includes('worker-')
      ? f.replace('worker-', `shard-${index}-worker-`)
      : `shard-${index}-${f}`;
    cpSync(join(from, f), join(to, name), { recursive: true });
  }
}

/** Copy every shard's results, evidence and ledger into `into` (a reports folder). */
export function mergeShards(dirs: readonly string[], into: string): { runId: string; results: number } {
  const shards = checkShards(dirs);
  const runId = shards[0]!.info.runId;
  const target = resolve(into);
  const inside = shards.find((s) => s.dir === target);
  if (inside)
    throw new MergeError(
      `the merge would write into ${target}, which is one of the shards: set RUNBOOK_REPORTS_DIR to another folder`,
    );
  const results = join(target, 'allure-results');
  rmSync(results, { recursive: true, force: true }); // an earlier run's results would pass for this one's
  mkdirSync(results, { recursive: true });
  let count = 0;
  for (const {
    dir,
    info: { index },
  } of shards) {
    const from = join(dir, 'allure-results');
    if (existsSync(from))
      for (const f of readdirSync(from)) {
        if (f === 'history') continue; // the merged report's history comes from its previous report
        cpSync(join(from, f), join(results, f), { recursive: true });
        if (f.endsWith('-result.json')) count++;
      }
    for (const sub of ['runs', 'ledger']) copyPerShard(join(dir, sub, runId), join(into, sub, runId), index);
  }
  writeFileSync(join(target, 'summary.md'), mergedSummary(runId, shards.length, results));
  return { runId, results: count };
}

/** The merged run's summary: counts by status and each scenario that did not pass. */
function mergedSummary(runId: string, shards: number, resultsDir: string): string {
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('-result.json'))
    .map(
      (f) =>
        JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as {
          name: string;
          status?: string;
          statusDetails?: { message?: string };
        },
    );
  const by = new Map<string, number>();
  for (const r of results) by.set(r.status ?? 'unknown', (by.get(r.status ?? 'unknown') ?? 0) + 1);
  const failed = results.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
  return [
    `# Run ${runId} (${shards} shards merged)`,
    '',
    `${results.length} scenarios: ${[...by].map(([s, n]) => `${n} ${s}`).join(', ')}`,
    '',
    ...failed.map((r) => `- ${r.status}: ${r.name}: ${r.statusDetails?.message?.split('\n')[0] ?? ''}`),
    '',
  ].join('\n');
}
