/** The scheduler's choice: Ready, schedulable, tolerated, matching the selector; spread; its message. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { KubeObject } from '../../../src/sandbox/store/object';
import { chooseNode } from '../../../src/sandbox/workloads/scheduler';

interface NodeOptions {
  labels?: Record<string, string>;
  ready?: boolean;
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: string }[];
}

const node = (name: string, o: NodeOptions = {}): KubeObject => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
  spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const pod = (nodeSelector?: Record<string, string>, tolerations?: unknown[]): KubeObject => ({
  metadata: { name: 'web-1', namespace: 'apps' },
  spec: { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}) },
});
const idle = () => 0;
const group = { 'apps.edgewize.io/nodegroup': 'g1' };

describe('the scheduler', () => {
  test('takes only a node matching the selector', () => {
    const nodes = [node('a'), node('b', { labels: group }), node('c')];
    assert.deepEqual(chooseNode(pod(group), nodes, idle), { node: 'b' });
  });

  test('skips a node that is not Ready, or cordoned, or tainted NoSchedule', () => {
    const nodes = [
      node('a', { labels: group, ready: false }),
      node('b', { labels: group, unschedulable: true }),
      node('c', { labels: group, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
      node('d', { labels: group }),
    ];
    assert.deepEqual(chooseNode(pod(group), nodes, idle), { node: 'd' });
  });

  test('a tolerated taint and a PreferNoSchedule taint do not keep a pod off', () => {
    const tainted = node('a', {
      taints: [
        { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
        { key: 'soft', effect: 'PreferNoSchedule' },
      ],
    });
    const tolerating = pod(undefined, [
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
    ]);
    assert.deepEqual(chooseNode(tolerating, [tainted], idle), { node: 'a' });
    assert.ok('unschedulable' in chooseNode(pod(), [tainted], idle));
  });

  test('spreads: the matching node with the fewest pods, ties by name', () => {
    const nodes = [node('b', { labels: group }), node('a', { labels: group }), node('c', { labels: group })];
    assert.deepEqual(chooseNode(pod(group), nodes, idle), { node: 'a' });
    const load: Record<string, number> = { a: 2, b: 1, c: 1 };
    assert.deepEqual(
      chooseNode(pod(group), nodes, (n) => load[n] ?? 0),
      { node: 'b' },
    );
  });

  test("with no node left, says why for every node in kube-scheduler's words", () => {
    const nodes = [
      node('m', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      node('w1'),
      node('w2'),
      node('e1', { labels: group, ready: false }),
      node('e2', { labels: group, unschedulable: true }),
    ];
    assert.deepEqual(chooseNode(pod(group), nodes, idle), {
      unschedulable:
        '0/5 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ' +
        '1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable, ' +
        "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/5 nodes are available: " +
        '5 Preemption is not helpful for scheduling.',
    });
  });
});
