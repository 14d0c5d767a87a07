/** The gatherer over an in-memory ClusterSource: what it reads, follows and keeps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from '../../src/constants';
import { type ClusterSource, gatherEvidence, type KubeObject } from '../../src/diagnose';
import { UsageError } from '../../src/kapi/errors';
import type { ListOptions } from '../../src/kube/reader';
import type { ResourceRef } from '../../src/kube/resources';

const obj = (
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  metadata: { name, labels, ...(extra.metadata ?? {}) },
  ...extra,
});
const ev = (kind: string, name: string, reason: string, message: string): KubeObject => ({
  metadata: { name: `${name}.1`, namespace: 'default' },
  involvedObject: { kind, name },
  reason,
  message,
});

/** Serves objects by plural; label selectors of the form k=v only; records every read. */
function fakeSource(
  objects: Record<string, KubeObject[]>,
  events: KubeObject[],
): ClusterSource & { reads: string[] } {
  const reads: string[] = [];
  const matches = (o: KubeObject, selector?: string) =>
    !selector ||
    selector.split(',').every((term) => {
      const [k, v] = term.split('=');
      return o.metadata.labels?.[k!] === v;
    });
  return {
    reads,
    async get(r: ResourceRef, name: string) {
      reads.push(`get ${r.plural}/${name}`);
      return (objects[r.plural] ?? []).find((o) => o.metadata.name === name);
    },
    async list(r: ResourceRef, options: ListOptions = {}) {
      reads.push(`list ${r.plural}${options.labelSelector ? `?${options.labelSelector}` : ''}`);
      return (objects[r.plural] ?? []).filter((o) => matches(o, options.labelSelector));
    },
    async events(namespace: string) {
      return events.filter((e) => e.metadata.namespace === namespace);
    },
  };
}

test('follows the group labels, bound workspaces and binding events; keeps only relevant events', async () => {
  const source = fakeSource(
    {
      nodegroups: [obj('g', { [`${NAMESPACE_LABEL_PREFIX}listed`]: 'listed' })],
      nodes: [obj('n1', { [NODE_GROUP_LABEL]: 'g' }), obj('drifted'), obj('other')],
      namespaces: [obj('listed'), obj('member', { [WORKSPACE_LABEL]: 'ws' }), obj('unrelated')],
      workspaces: [
        obj('ws', {}, { metadata: { name: 'ws', annotations: { [WORKSPACE_PARENT_ANNOTATION]: 'g' } } }),
        obj('ws2'),
      ],
      workspacetemplates: [obj('ws'), obj('ws2')],
      configmaps: [],
    },
    [
      ev('Node', 'drifted', 'NodeBound', 'Node drifted bound to nodegroup g'),
      ev('Node', 'other', 'NodeBound', 'Node other bound to nodegroup h'),
      ev('NodeGroup', 'g', 'Active', 'NodeGroup g is active'),
      ev('NodeGroup', 'h', 'Active', 'NodeGroup h is active'),
    ],
  );
  const evidence = await gatherEvidence(source, { nodegroup: 'g' });
  assert.equal(source.reads[0], 'get nodegroups/g', 'the group is read first, alone');
  assert.deepEqual(
    evidence.nodes.map((n) => n.metadata.name),
    ['n1', 'drifted'],
  );
  assert.deepEqual(
    evidence.namespaces.map((n) => n.metadata.name),
    ['member', 'listed'],
  );
  assert.deepEqual(
    evidence.workspaces.map((w) => w.metadata.name),
    ['ws'],
  );
  assert.deepEqual(
    evidence.workspaceTemplates.map((w) => w.metadata.name),
    ['ws'],
  );
  assert.deepEqual(
    evidence.events.map((e) => e.metadata.name),
    ['drifted.1', 'g.1'],
  );
  assert.equal(evidence.config.found, false);
});

test('a bad name is a UsageError before anything is read', async () => {
  const source = fakeSource({}, []);
  await assert.rejects(gatherEvidence(source, { nodegroup: 'g', namespace: 'Bad.NS' }), (err: unknown) => {
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /invalid namespace name 'Bad.NS'/);
    return true;
  });
  assert.deepEqual(source.reads, []);
});
