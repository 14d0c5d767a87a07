/** Each diagnosis check against crafted object states: healthy, and each way it fails. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
  NODEGROUP_FINALIZER,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from '../../src/constants';
import {
  type CheckId,
  type Evidence,
  type Finding,
  type KubeObject,
  renderDiagnosis,
  runChecks,
} from '../../src/diagnose';
import { parseConfig } from '../../src/diagnose/check-config';
import { DESIRED_NODEGROUP_ANNOTATION, ippoolKeyOf } from '../../src/diagnose/model-names';

const G = 'edge-a';
const POOL_KEY = ippoolKeyOf(G);
let version = 0;

const event = (kind: string, name: string, type: string, reason: string, message: string): KubeObject => ({
  metadata: { name: `${name}.${++version}`, namespace: 'default', resourceVersion: String(version) },
  involvedObject: { kind, name },
  type,
  reason,
  message,
  count: 1,
  lastTimestamp: '2025-01-01T00:00:00Z',
});
const node = (name: string, group?: string, annotations: Record<string, string> = {}): KubeObject => ({
  metadata: { name, labels: group ? { [NODE_GROUP_LABEL]: group } : {}, annotations },
});
const boundNamespace = (name: string, workspace?: string): KubeObject => ({
  metadata: {
    name,
    labels: { [NODE_GROUP_LABEL]: G, ...(workspace ? { [WORKSPACE_LABEL]: workspace } : {}) },
    annotations: { [NODE_SELECTOR_ANNOTATION]: `${NODE_GROUP_LABEL}=${G}`, [POOL_KEY]: `${G}-ippool` },
  },
});
const pod = (name: string, ready = true): KubeObject => ({
  metadata: { name, namespace: 'kubesphere-system' },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const CONFIG =
  'scheduling:\n  enabled: true\npolicy:\n  enabled: true\nrbac:\n  enabled: true\nippool:\n  enabled: true\n';

/** A group with one node, a workspace of two namespaces, its IPPool, everything in sync. */
function healthy(): Evidence {
  return {
    target: { nodegroup: G },
    nodegroup: {
      metadata: {
        name: G,
        finalizers: [NODEGROUP_FINALIZER],
        labels: {
          [`${NAMESPACE_LABEL_PREFIX}demo-app`]: 'demo-app',
          [`${NAMESPACE_LABEL_PREFIX}demo-db`]: 'demo-db',
        },
      },
      status: {
        state: 'active',
        conditions: [{ type: 'IPPoolSynced', status: 'True', reason: 'IPPoolSynced' }],
      },
    },
    nodes: [node('edge-node-1', G)],
    namespaces: [boundNamespace('demo-app', 'team-a'), boundNamespace('demo-db', 'team-a')],
    workspaces: [{ metadata: { name: 'team-a', annotations: { [WORKSPACE_PARENT_ANNOTATION]: G } } }],
    workspaceTemplates: [{ metadata: { name: 'team-a', annotations: { [WORKSPACE_PARENT_ANNOTATION]: G } } }],
    ippools: [{ metadata: { name: `${G}-ippool`, labels: { [POOL_KEY]: G, [WORKSPACE_LABEL]: 'team-a' } } }],
    events: [event('Node', 'edge-node-1', 'Normal', 'NodeBound', `Node edge-node-1 bound to nodegroup ${G}`)],
    config: parseConfig(CONFIG),
    pods: [pod('nodegroup-apiserver-7d9f-x2k4p'), pod('nodegroup-controller-manager-5c8d-m7q2w')],
    deployments: [],
  };
}

const findingsOf = (ev: Evidence, id: CheckId): Finding[] =>
  runChecks(ev).findings.filter((f) => f.check.id === id);
const only = (ev: Evidence, id: CheckId): Finding => {
  const found = findingsOf(ev, id);
  assert.equal(found.length, 1, JSON.stringify(found, null, 2));
  return found[0]!;
};

test('the healthy state passes every check, in the guide order', () => {
  const diagnosis = runChecks(healthy());
  assert.deepEqual(
    diagnosis.findings.map((f) => [f.check.order, f.check.id, f.status]),
    [
      [1, 'resource-exists', 'pass'],
      [2, 'finalizer', 'pass'],
      [3, 'node-labels', 'pass'],
      [4, 'namespace-workspace', 'pass'],
      [5, 'ippool-sync', 'pass'],
      [6, 'config-enabled', 'pass'],
      [7, 'controller-health', 'pass'],
    ],
  );
  assert.equal(diagnosis.healthy, true);
  assert.match(
    diagnosis.findings[3]!.summary,
    /2 namespace\(s\) bound: demo-app, demo-db; workspace\(s\) team-a/,
  );
});

describe('1 resource exists', () => {
  test('a missing group is a failing finding; the checks that need it skip', () => {
    const ev = { ...healthy(), nodegroup: undefined, target: { nodegroup: 'nope' } };
    const diagnosis = runChecks(ev);
    const exists = diagnosis.findings[0]!;
    assert.equal(exists.status, 'fail');
    assert.equal(exists.summary, 'nodegroup nope not found');
    assert.match(exists.likelyCause!, /misspelt or the group was deleted/);
    assert.equal(exists.nextCommand, 'nodegroup-api nodegroup list');
    assert.deepEqual(
      diagnosis.findings.filter((f) => f.status === 'skip').map((f) => f.check.id),
      ['finalizer', 'namespace-workspace', 'ippool-sync'],
    );
    assert.equal(diagnosis.healthy, false);
  });
  test('a group the controller never reconciled (no state) warns', () => {
    const ev = healthy();
    ev.nodegroup!['status'] = {};
    const f = only(ev, 'resource-exists');
    assert.equal(f.status, 'warn');
    assert.equal(f.nextCommand, 'kubectl get pods -n kubesphere-system | grep nodegroup');
  });
});

describe('2 finalizer', () => {
  const deleting = () => {
    const ev = healthy();
    ev.nodegroup!.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    return ev;
  };
  test('delete hangs while nodes are bound: lists them and the unbind commands', () => {
    const ev = deleting();
    ev.nodes.push(node('edge-node-2', G));
    ev.events.push(event('NodeGroup', G, 'Warning', 'NodesStillBound', 'waiting for 2 node(s)'));
    const f = only(ev, 'finalizer');
    assert.equal(f.status, 'fail');
    assert.equal(f.summary, 'delete hangs: 2 node(s) still bound: edge-node-1, edge-node-2');
    assert.equal(
      f.nextCommand,
      `nodegroup-api unbind node --nodegroup ${G} --node edge-node-1 && nodegroup-api unbind node --nodegroup ${G} --node edge-node-2`,
    );
    assert.match(f.evidence.events[0]!, /^Warning NodesStillBound NodeGroup\/edge-a: waiting/);
  });
  test('no node bound but the finalizer stays: low-level patch of exactly that finalizer', () => {
    const ev = deleting();
    ev.nodes = [];
    ev.nodegroup!.metadata.finalizers = ['other.io/keep', NODEGROUP_FINALIZER];
    const f = only(ev, 'finalizer');
    assert.equal(f.status, 'fail');
    assert.match(f.likelyCause!, /low-level repair/);
    assert.equal(
      f.nextCommand,
      `kubectl patch nodegroup ${G} --type=json -p '[{"op":"test","path":"/metadata/finalizers/1","value":"${NODEGROUP_FINALIZER}"},{"op":"remove","path":"/metadata/finalizers/1"}]'`,
    );
  });
  test('a live group without the finalizer warns', () => {
    const ev = healthy();
    ev.nodegroup!.metadata.finalizers = [];
    assert.equal(only(ev, 'finalizer').status, 'warn');
  });
});

describe('3 node labels', () => {
  test('label removed by hand after a bind is drift: low-level kubectl label', () => {
    const ev = healthy();
    ev.nodes = [node('edge-node-1')];
    const f = only(ev, 'node-labels');
    assert.equal(f.status, 'fail');
    assert.match(
      f.summary,
      /label drift, no apps.edgewize.io\/nodegroup label though it was bound to edge-a/,
    );
    assert.match(f.likelyCause!, /edited by hand/);
    assert.equal(f.nextCommand, `kubectl label node edge-node-1 ${NODE_GROUP_LABEL}=${G} --overwrite`);
  });
  test('label edited to another value by hand is drift too', () => {
    const ev = healthy();
    ev.nodes = [node('edge-node-1', 'edge-b')];
    const f = only(ev, 'node-labels');
    assert.match(f.summary, /label drift, apps.edgewize.io\/nodegroup=edge-b/);
    assert.equal(f.nextCommand, `kubectl label node edge-node-1 ${NODE_GROUP_LABEL}=${G} --overwrite`);
  });
  test('a node that left through the API is not drift', () => {
    const ev = healthy();
    ev.nodes = [node('edge-node-1')];
    ev.events.push(
      event('Node', 'edge-node-1', 'Normal', 'NodeUnbound', `Node edge-node-1 left nodegroup ${G}`),
    );
    assert.equal(only(ev, 'node-labels').status, 'pass');
  });
  test('a named node in another group: bind through the API', () => {
    const ev = healthy();
    ev.target.node = 'worker-1';
    ev.nodes.push(node('worker-1', 'edge-b'));
    const f = only(ev, 'node-labels');
    assert.equal(f.status, 'fail');
    assert.equal(f.likelyCause, 'it is bound to nodegroup edge-b: a node is in one group at a time');
    assert.equal(f.nextCommand, `nodegroup-api bind node --nodegroup ${G} --node worker-1`);
  });
  test('a named node never bound: bind through the API', () => {
    const ev = healthy();
    ev.target.node = 'worker-1';
    ev.nodes.push(node('worker-1'));
    const f = only(ev, 'node-labels');
    assert.match(f.likelyCause!, /never bound/);
    assert.equal(f.nextCommand, `nodegroup-api bind node --nodegroup ${G} --node worker-1`);
  });
  test('a pending bind (intent not applied) points at the controller', () => {
    const ev = healthy();
    ev.target.node = 'worker-1';
    ev.nodes.push(node('worker-1', undefined, { [DESIRED_NODEGROUP_ANNOTATION]: G }));
    const f = only(ev, 'node-labels');
    assert.equal(f.summary, `node worker-1: bind to ${G} requested, not applied`);
    assert.equal(f.nextCommand, 'kubectl get pods -n kubesphere-system | grep nodegroup');
  });
  test('a named node that does not exist', () => {
    const ev = healthy();
    ev.target.node = 'ghost';
    const f = only(ev, 'node-labels');
    assert.equal(f.summary, 'node ghost not found');
    assert.equal(f.nextCommand, 'kubectl get nodes --show-labels');
  });
});

describe('4 namespace and workspace labels/annotations', () => {
  test('a named namespace not bound: bind through the API', () => {
    const ev = healthy();
    ev.target.namespace = 'monitoring';
    ev.namespaces.push({ metadata: { name: 'monitoring', labels: {} } });
    const f = only(ev, 'namespace-workspace');
    assert.equal(f.status, 'fail');
    assert.equal(f.summary, `namespace monitoring: not labelled ${NODE_GROUP_LABEL}=${G}`);
    assert.equal(f.nextCommand, `nodegroup-api bind namespace --nodegroup ${G} --namespace monitoring`);
  });
  test('a namespace of a bound workspace left unbound: workspace binding incomplete', () => {
    const ev = healthy();
    ev.namespaces[1] = { metadata: { name: 'demo-db', labels: { [WORKSPACE_LABEL]: 'team-a' } } };
    delete ev.nodegroup!.metadata.labels![`${NAMESPACE_LABEL_PREFIX}demo-db`];
    const f = only(ev, 'namespace-workspace');
    assert.match(f.likelyCause!, /workspace team-a is bound to edge-a but this namespace is not/);
    assert.equal(f.nextCommand, `nodegroup-api bind namespace --nodegroup ${G} --namespace demo-db`);
  });
  test('the group lists a namespace whose label was removed by hand', () => {
    const ev = healthy();
    ev.namespaces[0]!.metadata.labels = { [WORKSPACE_LABEL]: 'other' };
    const f = only(ev, 'namespace-workspace');
    assert.match(f.likelyCause!, /the group lists it .* edited by hand/);
  });
  test('the group-side label missing', () => {
    const ev = healthy();
    delete ev.nodegroup!.metadata.labels![`${NAMESPACE_LABEL_PREFIX}demo-app`];
    const f = only(ev, 'namespace-workspace');
    assert.equal(
      f.summary,
      `namespace demo-app: the group lacks label ${NAMESPACE_LABEL_PREFIX}demo-app=demo-app`,
    );
    assert.equal(f.nextCommand, `nodegroup-api bind namespace --nodegroup ${G} --namespace demo-app`);
  });
  test('scheduling annotation missing while scheduling is enabled fails; disabled it is not expected', () => {
    const ev = healthy();
    delete ev.namespaces[0]!.metadata.annotations![NODE_SELECTOR_ANNOTATION];
    const f = only(ev, 'namespace-workspace');
    assert.equal(
      f.summary,
      `namespace demo-app: annotation ${NODE_SELECTOR_ANNOTATION} is not ${NODE_GROUP_LABEL}=${G}`,
    );
    assert.equal(f.nextCommand, `nodegroup-api bind namespace --nodegroup ${G} --namespace demo-app`);
    ev.config = parseConfig(CONFIG.replace('scheduling:\n  enabled: true', 'scheduling:\n  enabled: false'));
    const off = only(ev, 'namespace-workspace');
    assert.equal(off.status, 'pass');
    assert.match(off.summary, /scheduling disabled: those annotations not expected/);
  });
  test('ippool annotation missing while the IPPool sync fails points at the pool', () => {
    const ev = healthy();
    delete ev.namespaces[0]!.metadata.annotations![POOL_KEY];
    (ev.nodegroup!['status'] as { conditions: unknown[] }).conditions = [
      { type: 'IPPoolSynced', status: 'False', reason: 'IPPoolSyncFailed', message: 'rejected' },
    ];
    const f = only(ev, 'namespace-workspace');
    assert.match(f.likelyCause!, /IPPool sync is failing/);
    assert.equal(f.nextCommand, `kubectl get ippools -l ${POOL_KEY}=${G} -o yaml`);
  });
  test('a named workspace not bound, and a template out of step', () => {
    const ev = healthy();
    ev.target.workspace = 'team-b';
    ev.workspaces.push({ metadata: { name: 'team-b', annotations: {} } });
    const f = only(ev, 'namespace-workspace');
    assert.equal(f.summary, `workspace team-b: annotation ${WORKSPACE_PARENT_ANNOTATION} is absent`);
    assert.equal(f.nextCommand, `nodegroup-api bind workspace --nodegroup ${G} --workspace team-b`);
    const drift = healthy();
    drift.workspaceTemplates[0]!.metadata.annotations = {};
    const t = only(drift, 'namespace-workspace');
    assert.equal(
      t.summary,
      `workspace team-a: its WorkspaceTemplate lacks ${WORKSPACE_PARENT_ANNOTATION}=${G}`,
    );
    assert.equal(t.nextCommand, `nodegroup-api bind workspace --nodegroup ${G} --workspace team-a`);
  });
});

describe('5 IPPool sync', () => {
  test('condition False and the Warning event: not synced', () => {
    const ev = healthy();
    const message = 'failed to sync IPPool edge-a-ippool: rejected';
    (ev.nodegroup!['status'] as { conditions: unknown[] }).conditions = [
      { type: 'IPPoolSynced', status: 'False', reason: 'IPPoolSyncFailed', message },
    ];
    ev.events.push(event('NodeGroup', G, 'Warning', 'IPPoolSyncFailed', message));
    const f = only(ev, 'ippool-sync');
    assert.equal(f.status, 'fail');
    assert.equal(f.summary, 'IPPool edge-a-ippool not synced: IPPoolSyncFailed');
    assert.equal(f.likelyCause, message);
    assert.equal(f.nextCommand, `kubectl get ippools -l ${POOL_KEY}=${G} -o yaml`);
    assert.match(f.evidence.events[0]!, /^Warning IPPoolSyncFailed NodeGroup\/edge-a/);
  });
  test('no pool at all: the controller has not synced it', () => {
    const ev = healthy();
    ev.ippools = [];
    const f = only(ev, 'ippool-sync');
    assert.equal(f.summary, `no IPPool labelled ${POOL_KEY}=${G}`);
    assert.equal(f.nextCommand, 'kubectl get pods -n kubesphere-system | grep nodegroup');
  });
  test('workspace label not following the bindings: low-level label', () => {
    const ev = healthy();
    ev.ippools[0]!.metadata.labels![WORKSPACE_LABEL] = 'team-b';
    const f = only(ev, 'ippool-sync');
    assert.equal(f.nextCommand, `kubectl label ippool edge-a-ippool ${WORKSPACE_LABEL}=team-a --overwrite`);
  });
  test('skipped when ippool is disabled', () => {
    const ev = healthy();
    ev.config = parseConfig('ippool: {enabled: false}\n');
    assert.equal(only(ev, 'ippool-sync').status, 'skip');
  });
});

describe('6 feature enabled in config', () => {
  test('a disabled section warns, explains, and gives the exact patch that enables it', () => {
    const ev = healthy();
    ev.config = parseConfig(CONFIG.replace('ippool:\n  enabled: true', 'ippool:\n  enabled: false'));
    const f = only(ev, 'config-enabled');
    assert.equal(f.status, 'warn');
    assert.equal(f.summary, 'disabled in nodegroup-config: ippool');
    assert.match(f.likelyCause!, /ippool disabled: groups get no IPPool/);
    const json = JSON.stringify({ data: { 'nodegroup.yaml': CONFIG } });
    assert.equal(
      f.nextCommand,
      `kubectl patch cm nodegroup-config -n kubesphere-system --type=merge -p '${json}'`,
    );
    assert.equal(runChecks(ev).healthy, true, 'a warning alone is not a failure');
  });
  test('missing ConfigMap, missing key and unusable text fail', () => {
    const ev = healthy();
    ev.config = parseConfig(undefined, false);
    assert.equal(only(ev, 'config-enabled').summary, 'nodegroup-config not found: every feature is off');
    ev.config = parseConfig(undefined, true);
    assert.equal(
      only(ev, 'config-enabled').summary,
      'nodegroup-config has no key nodegroup.yaml: every feature is off',
    );
    ev.config = parseConfig('scheduling: [1');
    const bad = only(ev, 'config-enabled');
    assert.equal(bad.status, 'fail');
    assert.match(bad.summary, /not valid YAML/);
    assert.equal(bad.nextCommand, 'kubectl get cm nodegroup-config -n kubesphere-system -o yaml');
  });
  test('parseConfig: absent or non-true sections are off; a non-boolean enabled is an error', () => {
    assert.deepEqual(parseConfig('scheduling: {enabled: true}\nrbac: {}\n').sections, {
      scheduling: true,
      policy: false,
      rbac: false,
      ippool: false,
    });
    assert.match(parseConfig('ippool: {enabled: "yes"}').error!, /section "ippool" must be a map/);
  });
});

describe('7 controller health', () => {
  test('controller-manager not Ready: nothing converges, pending requests listed', () => {
    const ev = healthy();
    ev.pods[1] = pod('nodegroup-controller-manager-5c8d-m7q2w', false);
    ev.nodes.push(node('worker-1', undefined, { [DESIRED_NODEGROUP_ANNOTATION]: G }));
    const f = only(ev, 'controller-health');
    assert.equal(f.status, 'fail');
    assert.equal(
      f.summary,
      'nodegroup-controller-manager: nodegroup-controller-manager-5c8d-m7q2w Running, Ready=False',
    );
    assert.match(f.likelyCause!, /nothing converges.*1 pending: node\/worker-1 -> edge-a/);
    assert.equal(
      f.nextCommand,
      'kubectl rollout restart deployment/nodegroup-controller-manager -n kubesphere-system',
    );
  });
  test('no apiserver pod', () => {
    const ev = healthy();
    ev.pods = ev.pods.slice(1);
    const f = only(ev, 'controller-health');
    assert.equal(f.summary, 'nodegroup-apiserver: no pod');
  });
});

describe('render', () => {
  test('table: CHECK STATUS FINDING NEXT, causes, verdict; json and yaml carry the findings', () => {
    const ev = healthy();
    ev.nodes = [node('edge-node-1')];
    const diagnosis = runChecks(ev);
    const table = renderDiagnosis(diagnosis, 'table');
    const lines = table.split('\n');
    assert.match(lines[0]!, /^CHECK\s+STATUS\s+FINDING\s+NEXT$/);
    assert.match(
      table,
      /3 node-labels\s+FAIL\s+node edge-node-1: label drift.*kubectl label node edge-node-1/,
    );
    assert.match(table, /Likely causes:\n {2}3 node-labels: the node label was edited by hand/);
    assert.match(table, /nodegroup edge-a: 1 failing check\(s\) \(6 pass, 0 warn, 0 skip\)\n$/);
    assert.deepEqual(JSON.parse(renderDiagnosis(diagnosis, 'json')), JSON.parse(JSON.stringify(diagnosis)));
    assert.deepEqual(parse(renderDiagnosis(diagnosis, 'yaml')), JSON.parse(JSON.stringify(diagnosis)));
  });
});
