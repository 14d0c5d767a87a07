/**
 * Before a run sends anything that changes state: the KubeSphere host and the kubeconfig must
 * reach the same cluster. Both read the `kube-system` namespace (every cluster has one, and its
 * uid is the cluster's own): KubeSphere through its /api proxy (`/clusters/<name>` for a member
 * cluster), the kubeconfig directly. Two uids are two clusters, refused naming both sides.
 */
import type { KapiClient } from '../kapi/client';
import type { KubeReader } from '../kube/reader';
import { RESOURCES } from '../kube/resources';
import { EnvironmentError } from './errors';

const KUBE_SYSTEM = 'kube-system';

export interface SameClusterInput {
  kapi: KapiClient;
  host: string;
  cluster?: string;
  kube: KubeReader;
}

/** The kube-system uid both sides share; throws ENV_CLUSTER_MISMATCH when they differ. */
export async function checkSameCluster(input: SameClusterInput): Promise<string> {
  const scope = input.cluster ? `/clusters/${encodeURIComponent(input.cluster)}` : '';
  const viaKubesphere = await input.kapi.call<{ metadata?: { uid?: string } }>({
    method: 'GET',
    path: `${scope}/api/v1/namespaces/${KUBE_SYSTEM}`,
  });
  const viaKubeconfig = await input.kube.get(RESOURCES.namespace, KUBE_SYSTEM);
  const a = viaKubesphere?.metadata?.uid;
  const b = viaKubeconfig?.metadata.uid as string | undefined;
  const kubeSide =
    `the kubeconfig ${input.kube.loaded?.source ?? ''} (context ${input.kube.loaded?.context ?? '?'}, ` +
    `server ${input.kube.server || '?'})`;
  const ksSide = `the KubeSphere host ${input.host}${input.cluster ? ` (cluster ${input.cluster})` : ''}`;
  if (!a || !b || a !== b)
    throw new EnvironmentError(
      'ENV_CLUSTER_MISMATCH',
      `${ksSide} and ${kubeSide} reach different clusters: namespace ${KUBE_SYSTEM} has uid ` +
        `${a ?? '(none)'} through KubeSphere and ${b ?? '(none)'} through the kubeconfig. Point the ` +
        "environment's kubeconfig/context at the cluster KubeSphere manages" +
        `${input.cluster ? '' : ' (or set cluster: for a member cluster)'}; nothing was changed.`,
    );
  return a;
}
