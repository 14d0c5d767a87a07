/**
 * The nodegroup extension's workloads as the controllers write them: Deployments, their
 * ReplicaSets and pods, the apiserver's Service, Endpoints and EndpointSlice, linked by owner
 * and target references.
 */
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE, POD_TEMPLATE_HASH_LABEL } from '../../constants';
import type { KubeObject } from '../store/object';
import type { ObjectStore } from '../store/store';
import { hexOf, now } from './fixture-ids';

const IMAGE_TAG = 'v1.1.0';

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

export function deployment(name: string): KubeObject {
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

export function replicaSet(name: string): KubeObject {
  const { hash } = PODS[name]!;
  const labels = { ...labelsOf(name), [POD_TEMPLATE_HASH_LABEL]: hash };
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
      selector: { matchLabels: { app: name, [POD_TEMPLATE_HASH_LABEL]: hash } },
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

export function pod(deploymentName: string, nodeName: string, hostIP: string): KubeObject {
  const started = now();
  const { hash, suffix } = PODS[deploymentName]!;
  const podIP = podIpOf(deploymentName);
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started });
  return {
    metadata: {
      name: `${deploymentName}-${hash}-${suffix}`,
      generateName: `${deploymentName}-${hash}-`,
      namespace: NODEGROUP_NAMESPACE,
      labels: { ...labelsOf(deploymentName), [POD_TEMPLATE_HASH_LABEL]: hash },
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
export function service(name: string, clusterIP: string): KubeObject[] {
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

/** Fill in the uids of owner and target references (known once the fixture objects exist). */
export function linkOwners(store: ObjectStore): void {
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
