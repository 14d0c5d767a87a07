import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import {
  DESIRED_NODEGROUP_ANNOTATION,
  ippoolKeyOf,
  ippoolNameOf,
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  NODE_SELECTOR_ANNOTATION,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_FINALIZER,
  NODEGROUP_NAMESPACE,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from '../../src/constants';
import { startSandbox } from '../../src/sandbox/sandbox';
import { accessToken } from '../sandbox-http';
import { annotationsOf, eventsFor, KAPI, labelsOf, useHarness, waitFor } from './nodegroup-harness';

const h = useHarness(async (harness) => {
  for (const name of ['ng-1', 'ng-2'])
    await harness.request('POST', `${KAPI}/nodegroups`, { metadata: { name } });
});

const bind = (ng: string, kind: string, name: string) =>
  h.request('POST', `${KAPI}/nodegroups/${ng}/${kind}/${name}`);
const unbind = (ng: string, kind: string, name: string) =>
  h.request('DELETE', `${KAPI}/nodegroups/${ng}/${kind}/${name}`);
const nodeGroupOf = (resource: string, name: string) => labelsOf(h.store, resource, name)[NODE_GROUP_LABEL];
const settled = (resource: string, name: string) =>
  annotationsOf(h.store, resource, name)[DESIRED_NODEGROUP_ANNOTATION] === undefined;

function setConfig(sections: Record<string, boolean>): void {
  const doc = Object.fromEntries(Object.entries(sections).map(([k, enabled]) => [k, { enabled }]));
  h.store.mutate('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP, (cm) => {
    cm.data = { [NODEGROUP_CONFIG_KEY]: stringify(doc) };
  });
}
const ALL_ON = { scheduling: true, policy: true, rbac: true, ippool: true };

describe('node binding', () => {
  test('bind labels the node, a second group moves it, unbind removes only its own label', async () => {
    assert.equal((await bind('ng-1', 'nodes', 'edge-node-1')).status, 200);
    await waitFor('edge-node-1 in ng-1', () => nodeGroupOf('nodes', 'edge-node-1') === 'ng-1');
    assert.ok(settled('nodes', 'edge-node-1'), 'the intent annotation is consumed');
    assert.ok(eventsFor(h.store, 'edge-node-1').some((e) => e.reason === 'NodeBound' && e.type === 'Normal'));
    assert.ok(eventsFor(h.store, 'ng-1').some((e) => e.reason === 'NodeBound'));
    const event = h.store.list('events').items.find((e) => e.reason === 'NodeBound')!;
    assert.equal(event.metadata.namespace, 'default');
    assert.deepEqual(event.source, { component: 'nodegroup-controller-manager' });

    await bind('ng-2', 'nodes', 'edge-node-1');
    await waitFor('moved to ng-2', () => nodeGroupOf('nodes', 'edge-node-1') === 'ng-2');
    // Unbinding from the group it is not in changes nothing.
    const version = h.store.get('nodes', undefined, 'edge-node-1').metadata.resourceVersion;
    assert.equal((await unbind('ng-1', 'nodes', 'edge-node-1')).status, 200);
    assert.equal(h.store.get('nodes', undefined, 'edge-node-1').metadata.resourceVersion, version);
    await unbind('ng-2', 'nodes', 'edge-node-1');
    await waitFor(
      'unbound',
      () => nodeGroupOf('nodes', 'edge-node-1') === undefined && settled('nodes', 'edge-node-1'),
    );
  });

  test('bind is idempotent: the second bind writes nothing', async () => {
    await bind('ng-1', 'nodes', 'edge-node-2');
    await waitFor(
      'bound',
      () => nodeGroupOf('nodes', 'edge-node-2') === 'ng-1' && settled('nodes', 'edge-node-2'),
    );
    const version = h.store.get('nodes', undefined, 'edge-node-2').metadata.resourceVersion;
    assert.equal((await bind('ng-1', 'nodes', 'edge-node-2')).status, 200);
    assert.equal(h.store.get('nodes', undefined, 'edge-node-2').metadata.resourceVersion, version);
    await unbind('ng-1', 'nodes', 'edge-node-2');
    await waitFor('unbound', () => nodeGroupOf('nodes', 'edge-node-2') === undefined);
  });
});

describe('namespace binding', () => {
  test('labels on both sides, scheduling and IPPool annotations; moving and unbinding clean up', async () => {
    await bind('ng-1', 'namespaces', 'monitoring');
    await waitFor('monitoring in ng-1', () => nodeGroupOf('namespaces', 'monitoring') === 'ng-1');
    assert.equal(
      labelsOf(h.store, 'nodegroups', 'ng-1')[`${NAMESPACE_LABEL_PREFIX}monitoring`],
      'monitoring',
    );
    let notes = annotationsOf(h.store, 'namespaces', 'monitoring');
    assert.equal(notes[NODE_SELECTOR_ANNOTATION], `${NODE_GROUP_LABEL}=ng-1`);
    assert.equal(notes[ippoolKeyOf('ng-1')], ippoolNameOf('ng-1'));

    await bind('ng-2', 'namespaces', 'monitoring');
    await waitFor('moved', () => nodeGroupOf('namespaces', 'monitoring') === 'ng-2');
    assert.equal(labelsOf(h.store, 'nodegroups', 'ng-1')[`${NAMESPACE_LABEL_PREFIX}monitoring`], undefined);
    assert.equal(
      labelsOf(h.store, 'nodegroups', 'ng-2')[`${NAMESPACE_LABEL_PREFIX}monitoring`],
      'monitoring',
    );
    notes = annotationsOf(h.store, 'namespaces', 'monitoring');
    assert.equal(notes[NODE_SELECTOR_ANNOTATION], `${NODE_GROUP_LABEL}=ng-2`);
    assert.equal(notes[ippoolKeyOf('ng-1')], undefined);
    assert.equal(notes[ippoolKeyOf('ng-2')], ippoolNameOf('ng-2'));

    await unbind('ng-2', 'namespaces', 'monitoring');
    await waitFor('unbound', () => nodeGroupOf('namespaces', 'monitoring') === undefined);
    notes = annotationsOf(h.store, 'namespaces', 'monitoring');
    assert.equal(notes[NODE_SELECTOR_ANNOTATION], undefined);
    assert.equal(notes[ippoolKeyOf('ng-2')], undefined);
    assert.equal(labelsOf(h.store, 'nodegroups', 'ng-2')[`${NAMESPACE_LABEL_PREFIX}monitoring`], undefined);
  });
});

describe('workspace binding', () => {
  test('parent annotation on Workspace and template, its namespaces bound, later ones too, IPPool label follows', async () => {
    await bind('ng-1', 'workspaces', 'team-a');
    await waitFor('team-a namespaces bound', () =>
      ['demo-app', 'demo-db'].every((ns) => nodeGroupOf('namespaces', ns) === 'ng-1'),
    );
    assert.equal(annotationsOf(h.store, 'workspaces', 'team-a')[WORKSPACE_PARENT_ANNOTATION], 'ng-1');
    assert.equal(annotationsOf(h.store, 'workspacetemplates', 'team-a')[WORKSPACE_PARENT_ANNOTATION], 'ng-1');
    await waitFor(
      'IPPool workspace label',
      () => labelsOf(h.store, 'ippools', ippoolNameOf('ng-1'))[WORKSPACE_LABEL] === 'team-a',
    );
    assert.equal(labelsOf(h.store, 'ippools', ippoolNameOf('ng-1'))[ippoolKeyOf('ng-1')], 'ng-1');
    assert.equal(nodeGroupOf('namespaces', 'edge-apps'), undefined, 'team-b is untouched');

    h.store.create('namespaces', {
      metadata: { name: 'demo-late', labels: { [WORKSPACE_LABEL]: 'team-a' } },
    });
    await waitFor('late namespace bound', () => nodeGroupOf('namespaces', 'demo-late') === 'ng-1');
    assert.equal(
      annotationsOf(h.store, 'namespaces', 'demo-late')[NODE_SELECTOR_ANNOTATION],
      `${NODE_GROUP_LABEL}=ng-1`,
    );

    await unbind('ng-1', 'workspaces', 'team-a');
    await waitFor('workspace unbound', () =>
      ['demo-app', 'demo-db', 'demo-late'].every((ns) => nodeGroupOf('namespaces', ns) === undefined),
    );
    assert.equal(annotationsOf(h.store, 'workspaces', 'team-a')[WORKSPACE_PARENT_ANNOTATION], undefined);
    assert.equal(
      annotationsOf(h.store, 'workspacetemplates', 'team-a')[WORKSPACE_PARENT_ANNOTATION],
      undefined,
    );
    await waitFor(
      'IPPool label dropped',
      () => !labelsOf(h.store, 'ippools', ippoolNameOf('ng-1'))[WORKSPACE_LABEL],
    );
    assert.ok(eventsFor(h.store, 'team-a').some((e) => e.reason === 'WorkspaceUnbound'));
  });
});

describe('delete', () => {
  test('hangs while a node carries the label, removes other bindings, completes after unbind', async () => {
    await h.request('POST', `${KAPI}/nodegroups`, { metadata: { name: 'ng-del' } });
    await bind('ng-del', 'nodes', 'worker-1');
    await bind('ng-del', 'namespaces', 'edge-apps');
    await bind('ng-del', 'workspaces', 'team-b');
    await waitFor(
      'bound',
      () =>
        nodeGroupOf('nodes', 'worker-1') === 'ng-del' && nodeGroupOf('namespaces', 'edge-apps') === 'ng-del',
    );
    await waitFor('IPPool', () => h.store.has('ippools', undefined, ippoolNameOf('ng-del')));

    assert.equal((await h.request('DELETE', `${KAPI}/nodegroups/ng-del`)).status, 200);
    await waitFor('NodesStillBound', () =>
      eventsFor(h.store, 'ng-del').some((e) => e.reason === 'NodesStillBound'),
    );
    const ng = h.store.get('nodegroups', undefined, 'ng-del');
    assert.equal((ng.status as { state: string }).state, 'terminating');
    assert.deepEqual(ng.metadata.finalizers, [NODEGROUP_FINALIZER]);
    assert.equal(nodeGroupOf('namespaces', 'edge-apps'), undefined);
    assert.equal(annotationsOf(h.store, 'workspaces', 'team-b')[WORKSPACE_PARENT_ANNOTATION], undefined);
    assert.equal(h.store.has('ippools', undefined, ippoolNameOf('ng-del')), false);
    assert.equal(nodeGroupOf('nodes', 'worker-1'), 'ng-del', 'node bindings are the operator’s to remove');

    await unbind('ng-del', 'nodes', 'worker-1');
    await waitFor('ng-del gone', () => !h.store.has('nodegroups', undefined, 'ng-del'));
    assert.equal(nodeGroupOf('nodes', 'worker-1'), undefined);
  });
});

describe('config', () => {
  test('sections switched off and on take effect on every group live', async () => {
    await bind('ng-2', 'namespaces', 'kube-public');
    await waitFor('bound', () => annotationsOf(h.store, 'namespaces', 'kube-public')[ippoolKeyOf('ng-2')]);
    setConfig({ ...ALL_ON, scheduling: false, ippool: false });
    await waitFor('annotations removed', () => {
      const notes = annotationsOf(h.store, 'namespaces', 'kube-public');
      return !notes[NODE_SELECTOR_ANNOTATION] && !notes[ippoolKeyOf('ng-2')];
    });
    await waitFor('IPPool deleted', () => !h.store.has('ippools', undefined, ippoolNameOf('ng-2')));
    assert.equal(nodeGroupOf('namespaces', 'kube-public'), 'ng-2', 'the binding itself stays');

    setConfig(ALL_ON);
    await waitFor('annotations back', () => {
      const notes = annotationsOf(h.store, 'namespaces', 'kube-public');
      return notes[NODE_SELECTOR_ANNOTATION] === `${NODE_GROUP_LABEL}=ng-2` && notes[ippoolKeyOf('ng-2')];
    });
    await waitFor('IPPool back', () => h.store.has('ippools', undefined, ippoolNameOf('ng-2')));
  });

  test('an invalid config is reported as a Warning event and the previous config kept', async () => {
    h.store.mutate('configmaps', NODEGROUP_NAMESPACE, NODEGROUP_CONFIGMAP, (cm) => {
      cm.data = { [NODEGROUP_CONFIG_KEY]: 'ippool: {enabled: maybe}' };
    });
    await waitFor('ConfigInvalid', () =>
      eventsFor(h.store, NODEGROUP_CONFIGMAP).find(
        (e) => e.reason === 'ConfigInvalid' && e.type === 'Warning',
      ),
    );
    assert.ok(h.store.has('ippools', undefined, ippoolNameOf('ng-2')));
    setConfig(ALL_ON);
  });
});

test('a NodeGroup created directly in the store (kubectl) gets the finalizer and becomes active', async () => {
  h.store.create('nodegroups', { metadata: { name: 'ng-kubectl' }, spec: {} });
  await waitFor('active', () => {
    const ng = h.store.get('nodegroups', undefined, 'ng-kubectl');
    return (
      (ng.status as { state?: string } | undefined)?.state === 'active' &&
      ng.metadata.finalizers?.includes(NODEGROUP_FINALIZER)
    );
  });
});

describe('through startSandbox and the real kubectl', () => {
  test('a KAPI bind shows in kubectl get nodes -l and kubectl get events', async () => {
    const sandbox = await startSandbox();
    const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
    const kubectl = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          'kubectl',
          ['--kubeconfig', sandbox.kubeconfigPath, '--cache-dir', cacheDir, ...args],
          (err, stdout, stderr) =>
            err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
        ),
      );
    try {
      const token = await accessToken(sandbox.url, sandbox.username, sandbox.password);
      const res = await fetch(`${sandbox.url}${KAPI}/nodegroups/edge-a/nodes/edge-node-1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      const nodes = await waitFor(
        'kubectl sees the label',
        () => labelsOf(sandbox.store, 'nodes', 'edge-node-1')[NODE_GROUP_LABEL] === 'edge-a',
      ).then(() => kubectl('get', 'nodes', '-l', `${NODE_GROUP_LABEL}=edge-a`, '-o', 'name'));
      assert.equal(nodes.trim(), 'node/edge-node-1');
      const events = await kubectl('get', 'events', '-n', 'default');
      assert.match(events, /NodeBound/);
      assert.match(events, /Node edge-node-1 bound to nodegroup edge-a/);
      const described = await kubectl('describe', 'node', 'edge-node-1');
      assert.match(described, /apps\.edgewize\.io\/nodegroup=edge-a/);
      assert.match(described, /Normal\s+NodeBound\s+.*Node edge-node-1 bound to nodegroup edge-a/);
      const group = await kubectl('describe', 'nodegroups', 'edge-a');
      assert.match(group, /NodeBound\s+.*Node edge-node-1 bound/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
      await sandbox.stop();
    }
  });
});
