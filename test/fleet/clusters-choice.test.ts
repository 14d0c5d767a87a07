/** `--clusters` and `clusters:` parsing, and names checked against the host's cluster list. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { takeFleetFlags } from '../../scripts/fleet/fleet-run';
import { parseClusterChoice, resolveClusters, takeClustersFlag } from '../../src/environment/clusters';
import { EnvironmentError } from '../../src/environment/errors';
import { readEnvironment } from '../../src/environment/file';

const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(
    fn,
    (err: unknown) =>
      err instanceof EnvironmentError && err.code === 'ENV_UNKNOWN_CLUSTER' && pattern.test(err.message),
  );

describe('cluster choice', () => {
  test('all, a list, a comma string; the flag in both spellings is taken out of argv', () => {
    assert.equal(parseClusterChoice('all'), 'all');
    assert.deepEqual(parseClusterChoice('a, b'), ['a', 'b']);
    assert.deepEqual(parseClusterChoice(['site-1']), ['site-1']);
    assert.deepEqual(takeClustersFlag(['-p', 'smoke', '--clusters', 'a,b', 'x.feature']), {
      choice: ['a', 'b'],
      rest: ['-p', 'smoke', 'x.feature'],
    });
    assert.deepEqual(takeClustersFlag(['--clusters=all']).choice, 'all');
    assert.deepEqual(takeClustersFlag(['x.feature']), { rest: ['x.feature'] });
  });

  test('bad values are named', () => {
    refused(() => parseClusterChoice('a,a'), /names a twice/);
    refused(() => parseClusterChoice('all,a'), /mixes "all"/);
    refused(() => parseClusterChoice('Bad_Name'), /"Bad_Name", which is not a cluster name/);
    refused(() => parseClusterChoice([]), /must be "all" or cluster names/);
    refused(() => takeClustersFlag(['--clusters']), /needs "all" or a comma-separated list/);
    assert.throws(
      () => takeFleetFlags(['--clusters-parallel', '0']),
      /--clusters-parallel must be an integer from 1 to 64, got 0/,
    );
    assert.deepEqual(takeFleetFlags(['--cluster-timeout=30', 'f']), { timeoutS: 30, rest: ['f'] });
  });

  test('names are checked against the host list (the host is no member); unknown ones list the known', () => {
    const known = ['host', 'm1', 'm2'];
    assert.deepEqual(resolveClusters('all', known), ['m1', 'm2']);
    assert.deepEqual(resolveClusters(['m2'], known), ['m2']);
    refused(
      () => resolveClusters(['m3', 'host'], known),
      /unknown clusters m3, host: the member clusters are m1, m2/,
    );
    refused(() => resolveClusters('all', ['host']), /lists no member clusters/);
  });

  test('an environment file takes clusters: as a list or all, and refuses a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusters-env-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), `host: https://ks.example.com\n${text}`);
      return join(dir, name);
    };
    assert.deepEqual(readEnvironment('a', file('a.yaml', 'clusters: [edge-1, edge-2]\n')).clusters, [
      'edge-1',
      'edge-2',
    ]);
    assert.equal(readEnvironment('b', file('b.yaml', 'clusters: all\n')).clusters, 'all');
    refused(
      () => readEnvironment('c', file('c.yaml', 'clusters: [edge-1, edge-1]\n')),
      /c\.yaml: "clusters" names edge-1 twice/,
    );
  });
});
