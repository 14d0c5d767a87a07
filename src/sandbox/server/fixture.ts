/**
 * The default content of a fresh sandbox: a small edge cluster with KubeSphere and the nodegroup
 * extension installed. Data only; `fixtureObjects()` builds it anew each time (reset uses it).
 */
import { stringify } from 'yaml';
import {
  NODEGROUP_API_VERSION,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_FINALIZER,
  NODEGROUP_NAMESPACE,
  NODEGROUP_STATE,
  WORKSPACE_LABEL,
} from '../../constants';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';

const KUBELET_VERSION = 'v1.32.4';
const IMAGE_TAG = 'v1.1.0';

function node(name: string, role: 'control-plane' | 'worker' | 'edge', ip: string): KubeObject {
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': role === 'edge' ? 'arm64' : 'amd64',
    'beta.kubernetes.io/os': 'linux',
    [`node-role.kubernetes.io/${role}`]: '',
  };
  return {
    metadata: { name, labels },
    spec:
      role === 'control-plane'
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      nodeInfo: {
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        containerRuntimeVersion: 'containerd://1.7.24',
        operatingSystem: 'linux',
        architecture: role === 'edge' ? 'arm64' : 'amd64',
        osImage: 'Ubuntu 22.04.4 LTS',
      },
    },
  };
}

function namespace(name: string, workspace?: string): KubeObject {
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  if (workspace) labels[WORKSPACE_LABEL] = workspace;
  return { metadata: { name, labels }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function workspace(name: string, manager: string): KubeObject[] {
  return [
    { metadata: { name, labels: {} }, spec: { manager } },
    {
      metadata: { name, labels: {}, annotations: { 'kubesphere.io/creator': manager } },
      spec: { template: { spec: { manager } }, placement: { clusters: [{ name: 'host' }] } },
    },
  ];
}

function deployment(name: string): KubeObject {
  const labels = { app: name, 'app.kubernetes.io/part-of': 'nodegroup' };
  return {
    metadata: { name, namespace: NODEGROUP_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name, image: `edgewize/${name}:${IMAGE_TAG}`, ports: [{ containerPort: 9090 }] }],
        },
      },
    },
    status: {
      replicas: 1,
      readyReplicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    },
  };
}

function pod(deploymentName: string, suffix: string, nodeName: string): KubeObject {
  const started = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    metadata: {
      name: `${deploymentName}-${suffix}`,
      namespace: NODEGROUP_NAMESPACE,
      labels: { app: deploymentName, 'app.kubernetes.io/part-of': 'nodegroup' },
    },
    spec: {
      nodeName,
      containers: [{ name: deploymentName, image: `edgewize/${deploymentName}:${IMAGE_TAG}` }],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: deploymentName,
          ready: true,
          started: true,
          restartCount: 0,
          image: `edgewize/${deploymentName}:${IMAGE_TAG}`,
          state: { running: { startedAt: started } },
        },
      ],
      startTime: started,
    },
  };
}

/** The nodegroup config as the chart ships it: every section enabled. */
export function defaultNodegroupConfig(): Record<string, { enabled: boolean }> {
  return {
    scheduling: { enabled: true },
    policy: { enabled: true },
    rbac: { enabled: true },
    ippool: { enabled: true },
  };
}

export function fixtureObjects(): { resource: string; object: KubeObject }[] {
  const objects: { resource: string; object: KubeObject }[] = [];
  const add = (resource: string, ...list: KubeObject[]) => {
    for (const object of list) objects.push({ resource, object });
  };
  add(
    'nodes',
    node('master-1', 'control-plane', '10.0.0.10'),
    node('worker-1', 'worker', '10.0.0.21'),
    node('worker-2', 'worker', '10.0.0.22'),
    node('worker-3', 'worker', '10.0.0.23'),
    node('edge-node-1', 'edge', '10.0.1.31'),
    node('edge-node-2', 'edge', '10.0.1.32'),
  );
  const [teamA, teamATemplate] = workspace('team-a', 'admin');
  const [teamB, teamBTemplate] = workspace('team-b', 'admin');
  add('workspaces', teamA!, teamB!);
  add('workspacetemplates', teamATemplate!, teamBTemplate!);
  add(
    'namespaces',
    namespace('default'),
    namespace('kube-system'),
    namespace('kube-public'),
    namespace('kubesphere-system'),
    namespace('monitoring'),
    namespace('demo-app', 'team-a'),
    namespace('demo-db', 'team-a'),
    namespace('edge-apps', 'team-b'),
  );
  add('configmaps', {
    metadata: {
      name: NODEGROUP_CONFIGMAP,
      namespace: NODEGROUP_NAMESPACE,
      labels: { 'app.kubernetes.io/part-of': 'nodegroup' },
    },
    data: { [NODEGROUP_CONFIG_KEY]: stringify(defaultNodegroupConfig()) },
  });
  add('deployments', ...NODEGROUP_DEPLOYMENTS.map(deployment));
  add(
    'pods',
    pod(NODEGROUP_DEPLOYMENTS[0], '7d9f8b6c5d-x2k4p', 'master-1'),
    pod(NODEGROUP_DEPLOYMENTS[1], '5c8d7f9b4-m7q2w', 'master-1'),
  );
  add('nodegroups', {
    apiVersion: NODEGROUP_API_VERSION,
    kind: 'NodeGroup',
    metadata: { name: 'edge-a', finalizers: [NODEGROUP_FINALIZER], labels: {} },
    spec: { alias: 'Edge site A', description: 'Edge nodes of site A', manager: 'admin' },
    status: { state: NODEGROUP_STATE.active },
  });
  return objects;
}

/** Create the fixture in an empty store, namespaces first so namespaced objects find theirs. */
export function loadFixture(store: ObjectStore): void {
  const objects = fixtureObjects();
  const order = (r: string) => (r === 'namespaces' ? 0 : 1);
  objects.sort((a, b) => order(a.resource) - order(b.resource));
  for (const { resource, object } of objects) store.create(resource, object);
}
