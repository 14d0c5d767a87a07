/** The partial match of Chainsaw's assert: maps by key, lists element by element, readable paths. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { childPath, describeMismatches, partialMatch } from '../../src/match/partial';

const node = {
  metadata: { name: 'w-1', labels: { 'kubernetes.io/os': 'linux', 'apps.edgewize.io/nodegroup': 'site' } },
  spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] },
  status: {
    addresses: [
      { type: 'InternalIP', address: '10.0.0.1' },
      { type: 'Hostname', address: 'w-1' },
    ],
  },
};

describe('partialMatch', () => {
  test('keys the document does not name are ignored, at every depth', () => {
    assert.deepEqual(partialMatch({ metadata: { labels: { 'kubernetes.io/os': 'linux' } } }, node), []);
    assert.deepEqual(partialMatch({}, node), []);
  });

  test('lists match element by element, each element partially', () => {
    assert.deepEqual(
      partialMatch({ status: { addresses: [{ type: 'InternalIP' }, { address: 'w-1' }] } }, node),
      [],
    );
    const swapped = partialMatch(
      { status: { addresses: [{ type: 'Hostname' }, { type: 'InternalIP' }] } },
      node,
    );
    assert.deepEqual(
      swapped.map((m) => [m.path, m.expected, m.actual]),
      [
        ['status.addresses[0].type', 'Hostname', 'InternalIP'],
        ['status.addresses[1].type', 'InternalIP', 'Hostname'],
      ],
    );
  });

  test('a list of another length is one mismatch saying both lengths', () => {
    const [m, ...rest] = partialMatch({ status: { addresses: [{ type: 'InternalIP' }] } }, node);
    assert.equal(rest.length, 0);
    assert.equal(m?.path, 'status.addresses');
    assert.match(m?.reason ?? '', /expected 1 element\(s\), got 2/);
  });

  test('absent fields, wrong types and scalars are told apart', () => {
    const found = partialMatch(
      {
        metadata: { labels: { 'apps.edgewize.io/nodegroup': 'other', missing: 'x' } },
        spec: { taints: 'none' },
        status: [],
      },
      node,
    );
    assert.deepEqual(
      found.map((m) => m.path),
      ['metadata.labels[apps.edgewize.io/nodegroup]', 'metadata.labels.missing', 'spec.taints', 'status'],
    );
    assert.equal(found[1]!.actual, undefined);
    assert.match(found[3]!.reason ?? '', /expected a list, got map/);
    assert.deepEqual(
      partialMatch({ spec: { replicas: '3' } }, { spec: { replicas: 3 } }).length,
      1,
      'a string is not a number',
    );
  });

  test('an expected null matches absent or null only', () => {
    assert.deepEqual(partialMatch({ metadata: { deletionTimestamp: null } }, node), []);
    assert.equal(partialMatch({ metadata: { name: null } }, node).length, 1);
  });

  test('the description shows path, expected and actual, and cuts long lists', () => {
    const text = describeMismatches(
      partialMatch({ metadata: { labels: { a: '1', b: '2', c: '3' } } }, node),
      2,
    );
    assert.equal(
      text,
      '  metadata.labels.a: expected "1", actual (absent)\n  metadata.labels.b: expected "2", actual (absent)\n  ... and 1 more',
    );
    assert.equal(childPath('', 'spec'), 'spec');
    assert.equal(
      childPath('metadata.labels', 'node-role.kubernetes.io/edge'),
      'metadata.labels[node-role.kubernetes.io/edge]',
    );
  });
});
