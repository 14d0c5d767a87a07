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

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** A stable hex string from a name (ids a kubelet reads from the machine; fixed per fixture). */
function hexOf(name: string, length: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < length) {
    for (const c of `${name}${out.length}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

const uuidOf = (name: string) => {
  const h = hexOf(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

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

/** Pod template hash of each deployment's ReplicaSet (and the pod name suffix after it). */
const PODS: Record<string, { hash: string; suffix: string }> = {
  [NODEGROUP_DEPLOYMENTS[0]]: { hash: '7d9f8b6c5d', suffix: 'x2k4p' },
  [NODEGROUP_DEPLOYMENTS[1]]: { hash: '5c8d7f9b4', suffix: 'm7q2w' },
};
const PORT = 9090;
const podIpOf = (name: string) => (name === NODEGROUP_DEPLOYMENTS[0] ? '10.233.64.11' : '10.233.64.12');

const labelsOf = (name: string) => ({ app: name, 'app.kubernetes.io/part-of': 'nodegroup' });

/** An owner reference; the uid is filled in once the owner exists (see `linkOwners`). */
const ownedBy = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: '', controller: true, blockOwnerDeletion: true },
];

const container = (name: string) => ({
  name,
  image: `edgewize/${name}:${IMAGE_TAG}`,
  ports: [{ containerPort: PORT, protocol: 'TCP' }],
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
});

const podSpec = (name: string) => ({
  containers: [container(name)],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  serviceAccountName: name,
  serviceAccount: name,
  securityContext: {},
  schedulerName: 'default-scheduler',
});

function deployment(name: string): KubeObject {
  const at = now();
  return {
    metadata: {
      name,
      namespace: NODEGROUP_NAMESPACE,
      labels: labelsOf(name),
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: labelsOf(name) }, spec: podSpec(name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastUpdateTime: at,
          lastTransitionTime: at,
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: at,
          lastTransitionTime: at,
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}-${PODS[name]!.hash}" has successfully progressed.`,
        },
      ],
    },
  };
}

function replicaSet(name: string): KubeObject {
  const { hash } = PODS[name]!;
  const labels = { ...labelsOf(name), 'pod-template-hash': hash };
  return {
    metadata: {
      name: `${name}-${hash}`,
      namespace: NODEGROUP_NAMESPACE,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '1',
        'deployment.kubernetes.io/max-replicas': '2',
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: ownedBy('Deployment', name),
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name, 'pod-template-hash': hash } },
      template: { metadata: { labels }, spec: podSpec(name) },
    },
    status: {
      replicas: 1,
      fullyLabeledReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    },
  };
}

function pod(deploymentName: string, nodeName: string, hostIP: string): KubeObject {
  const started = now();
  const { hash, suffix } = PODS[deploymentName]!;
  const podIP = podIpOf(deploymentName);
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started });
  return {
    metadata: {
      name: `${deploymentName}-${hash}-${suffix}`,
      generateName: `${deploymentName}-${hash}-`,
      namespace: NODEGROUP_NAMESPACE,
      labels: { ...labelsOf(deploymentName), 'pod-template-hash': hash },
      ownerReferences: ownedBy('ReplicaSet', `${deploymentName}-${hash}`),
    },
    spec: { ...podSpec(deploymentName), nodeName },
    status: {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map(cond),
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: started,
      containerStatuses: [
        {
          name: deploymentName,
          state: { running: { startedAt: started } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: `docker.io/edgewize/${deploymentName}:${IMAGE_TAG}`,
          imageID: `docker.io/edgewize/${deploymentName}@sha256:${hexOf(`image-${deploymentName}`, 64)}`,
          containerID: `containerd://${hexOf(`container-${deploymentName}`, 64)}`,
          started: true,
        },
      ],
      qosClass: 'BestEffort',
    },
  };
}

/** The Service in front of a deployment, its Endpoints and EndpointSlice, as the controllers write them. */
function service(name: string, clusterIP: string): KubeObject[] {
  const podIP = podIpOf(name);
  const port = { name: 'https', port: 443, protocol: 'TCP', targetPort: PORT };
  const labels = labelsOf(name);
  return [
    {
      kind: 'Service',
      metadata: { name, namespace: NODEGROUP_NAMESPACE, labels },
      spec: {
        ports: [port],
        selector: { app: name },
        clusterIP,
        clusterIPs: [clusterIP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    },
    {
      kind: 'Endpoints',
      metadata: { name, namespace: NODEGROUP_NAMESPACE, labels },
      subsets: [
        {
          addresses: [{ ip: podIP, nodeName: 'master-1', targetRef: podRef(name) }],
          ports: [{ name: 'https', port: PORT, protocol: 'TCP' }],
        },
      ],
    },
    {
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-${hexOf(`slice-${name}`, 5).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]!)}`,
        generateName: `${name}-`,
        namespace: NODEGROUP_NAMESPACE,
        labels: {
          ...labels,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          'kubernetes.io/service-name': name,
        },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Service', name, uid: '', controller: true, blockOwnerDeletion: true },
        ],
      },
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: [podIP],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'master-1',
          targetRef: podRef(name),
        },
      ],
      ports: [{ name: 'https', port: PORT, protocol: 'TCP' }],
    },
  ];
}

function podRef(name: string) {
  const { hash, suffix } = PODS[name]!;
  return { kind: 'Pod', namespace: NODEGROUP_NAMESPACE, name: `${name}-${hash}-${suffix}`, uid: '' };
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

/** Fill in the uids of owner and target references (known once the fixture objects exist). */
function linkOwners(store: ObjectStore): void {
  const uidOf = (resource: string, namespace: string | undefined, name: string) =>
    store.has(resource, namespace, name) ? store.get(resource, namespace, name).metadata.uid : undefined;
  const resourceOf: Record<string, string> = {
    Deployment: 'deployments',
    ReplicaSet: 'replicasets',
    Service: 'services',
    Pod: 'pods',
  };
  const fill = (
    ref: { kind: string; name: string; uid?: string; namespace?: string },
    namespace?: string,
  ) => {
    if (ref.uid !== '') return false;
    ref.uid = uidOf(resourceOf[ref.kind]!, ref.namespace ?? namespace, ref.name) ?? '';
    return true;
  };
  for (const resource of ['replicasets', 'pods', 'endpointslices', 'endpoints']) {
    for (const obj of store.list(resource).items) {
      store.mutate(resource, obj.metadata.namespace, obj.metadata.name!, (o) => {
        let changed = false;
        for (const ref of o.metadata.ownerReferences ?? [])
          changed = fill(ref, o.metadata.namespace) || changed;
        const refs = [
          ...(
            (o.subsets as { addresses?: { targetRef?: { kind: string; name: string; uid?: string } }[] }[]) ??
            []
          ).flatMap((s) => s.addresses ?? []),
          ...((o.endpoints as { targetRef?: { kind: string; name: string; uid?: string } }[]) ?? []),
        ];
        for (const r of refs) if (r.targetRef) changed = fill(r.targetRef, o.metadata.namespace) || changed;
        return changed;
      });
    }
  }
}
