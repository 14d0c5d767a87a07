/**
 * Inspection of the nodegroup deployment as the guide's checks do it: the config's sections as
 * the controller judges them, the Deployments available, every pod Running and Ready. Each
 * failure names the object and the kubectl command that shows it.
 */
import {
  type ConfigSection,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../../constants';
import { parseNodegroupConfig } from '../../nodegroup-config';
import { VerifyError } from '../errors';
import type { Verifier } from '../flow/verifier';

const showPods = `kubectl get pods -n ${NODEGROUP_NAMESPACE}`;

export async function checkConfigSectionEnabled(
  verifier: Pick<Verifier, 'get' | 'list'>,
  section: ConfigSection,
): Promise<void> {
  const cm = await verifier.get('configmap', NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE);
  if (!cm) throw new VerifyError(`ConfigMap ${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP} does not exist`);
  const text = (cm['data'] as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
  if (!text) throw new VerifyError(`ConfigMap ${NODEGROUP_CONFIGMAP} has no key ${NODEGROUP_CONFIG_KEY}`);
  // Judged as the controller judges it.
  const { sections, error } = parseNodegroupConfig(text);
  if (error) throw new VerifyError(`${NODEGROUP_CONFIGMAP}: ${error}`);
  if (!sections[section])
    throw new VerifyError(
      `section ${section} of ${NODEGROUP_CONFIG_KEY} is not enabled; see: kubectl get cm ${NODEGROUP_CONFIGMAP} -n ${NODEGROUP_NAMESPACE} -o yaml`,
    );
}

export async function checkDeploymentsAvailable(verifier: Pick<Verifier, 'get' | 'list'>): Promise<void> {
  for (const name of NODEGROUP_DEPLOYMENTS) {
    const d = await verifier.get('deployment', name, NODEGROUP_NAMESPACE);
    if (!d) throw new VerifyError(`Deployment ${NODEGROUP_NAMESPACE}/${name} does not exist`);
    const available = ((d['status'] ?? {}) as { availableReplicas?: number }).availableReplicas ?? 0;
    const wanted = ((d['spec'] ?? {}) as { replicas?: number }).replicas ?? 1;
    if (available < wanted)
      throw new VerifyError(
        `Deployment ${name}: ${available}/${wanted} available; see: kubectl get deploy ${name} -n ${NODEGROUP_NAMESPACE}`,
      );
  }
}

export async function checkPodsRunningAndReady(verifier: Pick<Verifier, 'get' | 'list'>): Promise<void> {
  const pods = await verifier.list('pod', { namespace: NODEGROUP_NAMESPACE });
  for (const name of NODEGROUP_DEPLOYMENTS) {
    const mine = pods.filter((p) => p.metadata.name?.startsWith(`${name}-`));
    if (mine.length === 0)
      throw new VerifyError(`no pod of ${name} in ${NODEGROUP_NAMESPACE}; check: ${showPods}`);
    for (const pod of mine) {
      const status = (pod['status'] ?? {}) as {
        phase?: string;
        conditions?: { type: string; status: string }[];
      };
      const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      if (status.phase !== 'Running' || !ready)
        throw new VerifyError(
          `pod ${pod.metadata.name} is ${status.phase}, ready=${ready}; check: ${showPods}`,
        );
    }
  }
}
