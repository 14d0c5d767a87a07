/**
 * KubeSphere's cluster list, `/apis/cluster.kubesphere.io/v1alpha1/clusters[/{name}]` on the host:
 * the host and every member, each with its Ready condition (False while the member cannot be
 * reached: the registry's `reach-member` step is blocked). Read-only, as the sandbox's clusters
 * are fixed at start.
 */
import { HOST_CLUSTER, KUBERNETES_VERSION, KUBESPHERE_VERSION } from '../../constants';
import type { Faults } from '../faults/registry';
import { type RequestContext, sendJSON } from '../http/http';
import { notFound, StatusError } from '../store/status';
import type { Members } from './members';

export const CLUSTER_API = '/apis/cluster.kubesphere.io/v1alpha1';
const CLUSTERS_PATH = /^\/apis\/cluster\.kubesphere\.io\/v1alpha1\/clusters(?:\/([^/]+))?\/?$/;
const API_VERSION = 'cluster.kubesphere.io/v1alpha1';
const CREATED = '2026-01-01T00:00:00Z';

function cluster(name: string, nodeCount: number, ready: boolean): Record<string, unknown> {
  const host = name === HOST_CLUSTER;
  const condition = (type: string, status: boolean, reason: string, message: string) => ({
    type,
    status: status ? 'True' : 'False',
    lastUpdateTime: CREATED,
    lastTransitionTime: CREATED,
    reason,
    message,
  });
  return {
    apiVersion: API_VERSION,
    kind: 'Cluster',
    metadata: {
      name,
      creationTimestamp: CREATED,
      labels: {
        'cluster.kubesphere.io/visibility': 'public',
        ...(host ? { 'cluster-role.kubesphere.io/host': '' } : {}),
      },
    },
    spec: {
      enable: true,
      joinFederation: !host,
      provider: 'sandbox',
      connection: { type: 'direct' },
    },
    status: {
      conditions: [
        condition('Initialized', true, 'Initialized', 'Cluster has been initialized'),
        ready
          ? condition('Ready', true, 'Ready', 'Cluster is available now')
          : condition('Ready', false, 'ClusterNotReachable', `cluster ${name} is not reachable`),
      ],
      kubernetesVersion: KUBERNETES_VERSION.gitVersion,
      kubeSphereVersion: KUBESPHERE_VERSION,
      nodeCount,
    },
  };
}

/** Is this path the cluster list (or one entry)? */
export const isClusterListPath = (path: string) => CLUSTERS_PATH.test(path);

export function createClusterList(deps: { hostNodes: () => number; members: Members; faults: Faults }) {
  const all = () => [
    cluster(HOST_CLUSTER, deps.hostNodes(), true),
    ...deps.members.list.map((m) =>
      cluster(
        m.name,
        m.store.list('nodes').items.length,
        !deps.faults.blocks({ step: 'reach-member', cluster: m.name }),
      ),
    ),
  ];
  return async (ctx: RequestContext): Promise<void> => {
    if (ctx.method !== 'GET')
      throw new StatusError(
        'MethodNotAllowed',
        `the sandbox's cluster list is read-only (method ${ctx.method})`,
      );
    const name = CLUSTERS_PATH.exec(ctx.path)?.[1];
    const items = all();
    if (name === undefined)
      return sendJSON(ctx.res, 200, {
        apiVersion: API_VERSION,
        kind: 'ClusterList',
        metadata: { resourceVersion: '1' },
        items,
      });
    const found = items.find((c) => (c.metadata as { name: string }).name === name);
    if (!found) throw notFound('clusters', 'cluster.kubesphere.io', name);
    return sendJSON(ctx.res, 200, found);
  };
}
