/** The pure parts of the twin: what is copied of an object, the content hash, the field diff. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeChange, diffFields } from '../../src/twin/diff';
import { describePermission } from '../../src/twin/errors';
import { readTwinFile } from '../../src/twin/import';
import { contentHash, LAST_APPLIED_ANNOTATION, NOT_COPIED, sanitize } from '../../src/twin/sanitize';

const pod = () => ({
  metadata: {
    name: 'p',
    namespace: 'ns',
    resourceVersion: '7',
    managedFields: [{ manager: 'kubectl' }],
    annotations: { [LAST_APPLIED_ANNOTATION]: '{"env":"secret"}', keep: 'me' },
  },
  spec: {
    containers: [
      {
        name: 'c',
        env: [
          { name: 'PASSWORD', value: 'hunter2' },
          { name: 'REF', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      },
    ],
  },
});

test('sanitize: typed, no managedFields, no last-applied copy, env values not copied (references kept)', () => {
  const obj = sanitize(pod(), { apiVersion: 'v1', kind: 'Pod' });
  assert.equal(obj.kind, 'Pod');
  assert.equal(obj.apiVersion, 'v1');
  assert.equal(obj.metadata['managedFields'], undefined);
  assert.deepEqual(obj.metadata.annotations, { keep: 'me' });
  const env = (obj['spec'] as { containers: { env: object[] }[] }).containers[0]!.env;
  assert.deepEqual(env, [
    { name: 'PASSWORD', value: NOT_COPIED },
    { name: 'REF', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ]);
  assert.ok(!JSON.stringify(obj).includes('hunter2'));
  const deployment = sanitize(
    { metadata: { name: 'd' }, spec: { template: { spec: pod().spec } } },
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  );
  assert.ok(!JSON.stringify(deployment).includes('hunter2'));
});

test('content hash: key order and heartbeats are not content; a label is', () => {
  const node = (heartbeat: string, os = 'linux') => ({
    metadata: { name: 'n', resourceVersion: heartbeat, labels: { os, arch: 'amd64' } },
    status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat }] },
  });
  const reordered = {
    status: node('1').status,
    metadata: { labels: { arch: 'amd64', os: 'linux' }, name: 'n' },
  };
  assert.equal(contentHash(node('1')), contentHash(node('2')));
  assert.equal(contentHash(node('1')), contentHash(reordered));
  assert.notEqual(contentHash(node('1')), contentHash(node('1', 'windows')));
});

test('diffFields: each changed leaf by path, arrays by index, volatile fields left out', () => {
  const before = {
    metadata: { name: 'n', resourceVersion: '1', labels: { 'apps.edgewize.io/nodegroup': 'a', env: 'x' } },
    status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1' }] },
  };
  const after = {
    metadata: { name: 'n', resourceVersion: '2', labels: { 'apps.edgewize.io/nodegroup': 'b' } },
    status: { conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: 't2' }, { type: 'X' }] },
  };
  const changes = diffFields(before, after);
  assert.deepEqual(changes, [
    { path: 'metadata.labels["apps.edgewize.io/nodegroup"]', before: 'a', after: 'b' },
    { path: 'metadata.labels.env', before: 'x' },
    { path: 'status.conditions[0].status', before: 'True', after: 'False' },
    { path: 'status.conditions[1].type', after: 'X' },
  ]);
  assert.equal(describeChange(changes[1]!), 'metadata.labels.env: "x" -> (absent)');
  assert.deepEqual(diffFields(before, structuredClone(before)), []);
  // an emptied map is still a change, though it has no leaf left
  assert.deepEqual(diffFields({ metadata: { labels: {} } }, { metadata: {} }), [
    { path: 'metadata.labels', before: {} },
  ]);
});

test('describePermission: namespaced reads name the namespace and the kubectl check', () => {
  assert.equal(
    describePermission({
      kind: 'Deployment',
      resource: 'deployments',
      group: 'apps',
      verb: 'get',
      namespace: 'kubesphere-system',
      serverMessage: 'forbidden',
    }),
    'Deployment (deployments.apps): 403 Forbidden (forbidden); the credentials need RBAC "get" on "deployments" ' +
      'in API group "apps" in namespace kubesphere-system (check: kubectl auth can-i get deployments.apps -n kubesphere-system)',
  );
});

test('readTwinFile: a sandbox state without a read set, or not JSON, is refused by name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twin-file-'));
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, JSON.stringify({ resourceVersion: 3, objects: {} }));
  assert.throws(() => readTwinFile(plain), /was not written by a twin import .*npm run twin -- --out/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"resourceVersion":');
  assert.throws(() => readTwinFile(broken), /is not JSON/);
  const damaged = join(dir, 'damaged.json');
  writeFileSync(
    damaged,
    JSON.stringify({ resourceVersion: 3, objects: {}, twin: { readSet: { entries: 1 } } }),
  );
  assert.throws(() => readTwinFile(damaged), /damaged read set/);
});
