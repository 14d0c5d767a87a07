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
import { hexOf, now, uuidOf } from './fixture-ids';
import { deployment, linkOwners, pod, replicaSet, service } from './fixture-workloads';

const KUBELET_VERSION = 'v1.32.4';

const condition = (type: string, status: string, reason: string, message: string) => {
  const at = now();
  return { type, status, lastHeartbeatTime: at, lastTransitionTime: at, reason, message };
};

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
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      capacity: { cpu: '4', 'ephemeral-storage': '102626232Ki', memory: '8145440Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '94580335255', memory: '8043040Ki', pods: '110' },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hexOf(`machine-${name}`, 32),
        systemUUID: uuidOf(`system-${name}`),
        bootID: uuidOf(`boot-${name}`),
        kernelVersion: '5.15.0-119-generic',
        osImage: 'Ubuntu 22.04.4 LTS',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: role === 'edge' ? 'arm64' : 'amd64',
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
    { metadata: { name }, spec: { manager } },
    {
      metadata: { name, annotations: { 'kubesphere.io/creator': manager } },
      spec: { template: { spec: { manager } }, placement: { clusters: [{ name: 'host' }] } },
    },
  ];
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
  add('replicasets', ...NODEGROUP_DEPLOYMENTS.map(replicaSet));
  add('pods', ...NODEGROUP_DEPLOYMENTS.map((d) => pod(d, 'master-1', '10.0.0.10')));
  const [svc, endpoints, slice] = service(NODEGROUP_DEPLOYMENTS[0], '10.233.12.34');
  add('services', svc!);
  add('endpoints', endpoints!);
  add('endpointslices', slice!);
  add('nodegroups', {
    apiVersion: NODEGROUP_API_VERSION,
    kind: 'NodeGroup',
    metadata: { name: 'edge-a', finalizers: [NODEGROUP_FINALIZER] },
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
  linkOwners(store);
}
