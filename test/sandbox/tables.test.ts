import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WORKSPACE_PARENT_ANNOTATION } from '../../src/constants';
import { humanDuration, includeObjectOf, TABLE_COLUMNS, tableOf } from '../../src/sandbox/kubernetes/tables';
import { KINDS } from '../../src/sandbox/store/kinds';
import type { KubeObject } from '../../src/sandbox/store/object';

const NOW = Date.parse('2025-01-10T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  creationTimestamp: ago(300),
  resourceVersion: '7',
  ...extra,
});

/** Cells keyed by column name, for the default (priority 0) and wide columns. */
function cells(resource: string, obj: KubeObject): Record<string, unknown> {
  const table = tableOf(resource, [obj], '1', 'None', NOW);
  const row = table.rows[0]!;
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name, row.cells[i]]));
}

const columnNames = (resource: string, priority = 0) =>
  tableOf(resource, [], '1', 'None', NOW)
    .columnDefinitions.filter((c) => c.priority === priority)
    .map((c) => c.name.toUpperCase());

describe('humanDuration (kubectl AGE)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [5, '5s'],
    [119, '119s'],
    [180, '3m'],
    [200, '3m20s'],
    [30 * 60, '30m'],
    [3 * 3600 + 5 * 60, '3h5m'],
    [10 * 3600, '10h'],
    [2 * 86400 + 4 * 3600, '2d4h'],
    [30 * 86400, '30d'],
    [3 * 365 * 86400 + 10 * 86400, '3y10d'],
    [9 * 365 * 86400, '9y'],
  ];
  for (const [seconds, text] of cases)
    it(`${seconds}s -> ${text}`, () => assert.equal(humanDuration(seconds * 1000), text));
  it('says <invalid> for the future', () => assert.equal(humanDuration(-5000), '<invalid>'));
});

describe('columns as kubectl shows them', () => {
  it('names the default columns of every kind', () => {
    assert.deepEqual(columnNames('nodes'), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual(columnNames('namespaces'), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(columnNames('configmaps'), ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(columnNames('pods'), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(columnNames('events'), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(columnNames('deployments'), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(columnNames('replicasets'), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    assert.deepEqual(columnNames('nodegroups'), ['NAME', 'ALIAS', 'MANAGER', 'STATE', 'AGE']);
    assert.deepEqual(columnNames('workspaces'), ['NAME', 'AGE']);
    assert.deepEqual(columnNames('ippools'), ['NAME', 'AGE']);
    for (const kind of KINDS) assert.ok(TABLE_COLUMNS[kind.resource], `no table for ${kind.resource}`);
  });

  it('node STATUS, ROLES and VERSION', () => {
    const node = (
      labels: Record<string, string>,
      ready: string | undefined,
      unschedulable = false,
    ): KubeObject => ({
      metadata: meta('n1', { labels }),
      spec: { unschedulable },
      status: {
        conditions: ready
          ? [
              { type: 'MemoryPressure', status: 'False' },
              { type: 'Ready', status: ready },
            ]
          : [],
        nodeInfo: { kubeletVersion: 'v1.32.4' },
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    });
    const cp = cells(
      'nodes',
      node({ 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' }, 'True'),
    );
    assert.deepEqual(
      [cp.Name, cp.Status, cp.Roles, cp.Age, cp.Version, cp['Internal-IP']],
      ['n1', 'Ready', 'control-plane,master', '5m', 'v1.32.4', '10.0.0.1'],
    );
    const edge = cells('nodes', node({ 'node-role.kubernetes.io/edge': '' }, 'False', true));
    assert.equal(edge.Status, 'NotReady,SchedulingDisabled');
    const bare = cells('nodes', node({}, undefined));
    assert.deepEqual([bare.Status, bare.Roles], ['Unknown', '<none>']);
  });

  it('pod READY, STATUS and RESTARTS', () => {
    const pod: KubeObject = {
      metadata: meta('p'),
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status: {
        phase: 'Running',
        podIP: '10.1.0.5',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 1, lastState: { terminated: { finishedAt: ago(120) } } },
          { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    };
    const row = cells('pods', pod);
    assert.deepEqual(
      [row.Ready, row.Status, row.Restarts, row.IP, row.Node],
      ['1/2', 'CrashLoopBackOff', '1 (2m ago)', '10.1.0.5', 'n1'],
    );
    const terminating = cells('pods', {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: ago(1) },
      status: { phase: 'Running' },
    });
    assert.equal(terminating.Status, 'Terminating');
  });

  it('configmap DATA, namespace STATUS, deployment replicas, event and nodegroup cells', () => {
    assert.equal(
      cells('configmaps', { metadata: meta('c'), data: { a: '1', b: '2' }, binaryData: { c: '' } }).Data,
      3,
    );
    assert.equal(
      cells('namespaces', { metadata: meta('ns'), status: { phase: 'Terminating' } }).Status,
      'Terminating',
    );
    const deploy = cells('deployments', {
      metadata: meta('d'),
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'd' } },
        template: { spec: { containers: [{ name: 'c', image: 'i:1' }] } },
      },
      status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
    });
    assert.deepEqual(
      [deploy.Ready, deploy['Up-to-date'], deploy.Available, deploy.Images, deploy.Selector],
      ['1/2', 2, 1, 'i:1', 'app=d'],
    );
    const event = cells('events', {
      metadata: meta('e'),
      type: 'Warning',
      reason: 'Failed',
      involvedObject: { kind: 'Node', name: 'n1' },
      message: 'it broke \n',
      lastTimestamp: ago(10),
    });
    assert.deepEqual(
      [event['Last Seen'], event.Type, event.Reason, event.Object, event.Message],
      ['10s', 'Warning', 'Failed', 'node/n1', 'it broke'],
    );
    const ng = cells('nodegroups', {
      metadata: meta('g'),
      spec: { alias: 'Edge', manager: 'ops' },
      status: { state: 'active' },
    });
    assert.deepEqual([ng.Alias, ng.Manager, ng.State], ['Edge', 'ops', 'active']);
    const ws = cells('workspaces', {
      metadata: meta('w', { annotations: { [WORKSPACE_PARENT_ANNOTATION]: 'g' } }),
    });
    assert.equal(ws.Nodegroup, 'g');
    assert.equal(cells('ippools', { metadata: { name: 'x' } }).Age, '<unknown>');
  });
});

describe('row objects', () => {
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta('n', { labels: { a: 'b' } }),
    spec: {},
  };

  it('carries PartialObjectMetadata with labels by default (kubectl --show-labels needs it)', () => {
    assert.equal(includeObjectOf(null), 'Metadata');
    const table = tableOf('nodes', [node], '9', includeObjectOf(null), NOW);
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.equal(table.metadata.resourceVersion, '9');
    assert.deepEqual(table.rows[0]?.object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: node.metadata,
    });
  });

  it('carries the full object for Object and nothing for None', () => {
    assert.deepEqual(tableOf('nodes', [node], '9', includeObjectOf('Object'), NOW).rows[0]?.object, node);
    assert.equal('object' in tableOf('nodes', [node], '9', includeObjectOf('None'), NOW).rows[0]!, false);
  });

  it('describes columns as data without their cell functions', () => {
    const [name] = tableOf('nodes', [], '1').columnDefinitions;
    assert.deepEqual(Object.keys(name!).sort(), ['description', 'format', 'name', 'priority', 'type']);
    assert.equal(name?.format, 'name');
  });
});
