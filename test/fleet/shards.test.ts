/**
 * Shards of one run (`--shard i/N`, one run id) merged by `report --merge`: the merged results hold
 * the same scenario set as the unsharded run, evidence and ledgers of both shards, and one summary.
 * Bad input: a folder that is no shard, a shard given twice, a missing shard, two different runs,
 * overlapping shards; each named, nothing merged.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main as report } from '../../scripts/report';
import { MergeError, mergeShards, SHARD_FILE, type ShardInfo } from '../../src/report/shards';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'dist', 'scripts', 'nodegroup-runbooks.js');
const FEATURE = join(ROOT, 'features', 'nodegroup', 'inspect.feature');
const RUN_ID = '261202070000-shard0';

let dir: string;

function run(reports: string, runId: string, args: string[]): Promise<number | null> {
  const env: NodeJS.ProcessEnv = { ...process.env, RUNBOOK_REPORTS_DIR: reports, RUNBOOK_RUN_ID: runId };
  for (const key of ['RUNBOOK_ENV', 'RUNBOOK_ALLURE_RESULTS', 'RUNBOOK_ALLURE_RESULTS_RUN']) delete env[key];
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, FEATURE], { cwd: dir, env, stdio: 'ignore' });
    child.on('close', done);
  });
}

const names = (reports: string) => {
  const results = join(reports, 'allure-results');
  return readdirSync(results)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => (JSON.parse(readFileSync(join(results, f), 'utf8')) as { fullName: string }).fullName)
    .sort();
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-shards-'));
  const codes = await Promise.all([
    run(join(dir, 's1'), RUN_ID, ['--shard', '1/2']),
    run(join(dir, 's2'), RUN_ID, ['--shard', '2/2']),
  ]);
  assert.deepEqual(codes, [0, 0]);
  assert.equal(await run(join(dir, 'full'), '261202070000-whole0', []), 0);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const refused = (dirs: string[], pattern: RegExp) =>
  assert.throws(
    () => mergeShards(dirs, join(dir, 'never')),
    (err: unknown) => err instanceof MergeError && pattern.test(err.message),
  );

/** A copy of shard 1 with its record changed. */
function variant(name: string, change: (info: ShardInfo) => void): string {
  const to = join(dir, name);
  cpSync(join(dir, 's1'), to, { recursive: true });
  const info = JSON.parse(readFileSync(join(to, SHARD_FILE), 'utf8')) as ShardInfo;
  change(info);
  writeFileSync(join(to, SHARD_FILE), JSON.stringify(info));
  return to;
}

describe('shards', () => {
  test('two shards merge into the unsharded run scenario set, with evidence, ledgers and one summary', () => {
    assert.ok(names(join(dir, 's1')).length > 0 && names(join(dir, 's2')).length > 0);
    const merged = join(dir, 'merged');
    const { runId, results } = mergeShards([join(dir, 's2'), join(dir, 's1')], merged);
    assert.equal(runId, RUN_ID);
    assert.deepEqual(names(merged), names(join(dir, 'full')));
    assert.equal(results, names(join(dir, 'full')).length);
    const evidence = readdirSync(join(merged, 'runs', RUN_ID)).filter((f) => f.startsWith('evidence-'));
    assert.deepEqual(evidence.sort(), ['evidence-shard-1-worker-0.json', 'evidence-shard-2-worker-0.json']);
    assert.equal(readdirSync(join(merged, 'ledger', RUN_ID)).length, 2);
    assert.match(
      readFileSync(join(merged, 'summary.md'), 'utf8'),
      new RegExp(`# Run ${RUN_ID} \\(2 shards merged\\)`),
    );
  });

  test('a duplicate, a missing shard, a folder that is no shard, two runs and overlapping shards are refused', () => {
    refused([join(dir, 's1'), join(dir, 's1')], /shard 1\/2 is given twice/);
    refused([join(dir, 's1')], /shard 2\/2 of run 261202070000-shard0 is missing/);
    refused(
      [join(dir, 's1'), join(dir, 'full')],
      /full is not the reports folder of a shard \(no shard\.json\)/,
    );
    const other = variant('other-run', (i) => {
      i.runId = '261202070000-other0';
      i.index = 2;
      i.scenarios = [];
    });
    refused(
      [join(dir, 's1'), other],
      /results of two different runs: 261202070000-shard0 .* and 261202070000-other0/,
    );
    const overlap = variant('overlap', (i) => {
      i.index = 2;
    });
    refused([join(dir, 's1'), overlap], /shards overlap: .*inspect\.feature:\d+ .* is in .*s1 and .*overlap/);
    assert.equal(existsSync(join(dir, 'never')), false);
  });

  test('report --merge names the problem and exits 2, merging nothing', async () => {
    let err = '';
    const code = await report(
      ['--merge', join(dir, 's1')],
      { write: () => true },
      { write: (t: string) => (err += t) },
    );
    assert.equal(code, 2);
    assert.match(err, /report --merge: shard 2\/2 .* is missing \(nothing was merged\)/);
  });
});
