/** Steps about the nodegroup deployment: its config sections, Deployments and pods. */
import { strict as assert } from 'node:assert';
import { Then } from '@cucumber/cucumber';
import {
  type ConfigSection,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../src/constants';
import { parseNodegroupConfig } from '../src/nodegroup-config';
import type { RunbookWorld } from '../support/world';

Then(
  'the nodegroup config has {section} enabled',
  async function (this: RunbookWorld, section: ConfigSection) {
    const cm = await this.ctx.verifier.get('configmap', NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE);
    assert.ok(cm, `ConfigMap ${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP} does not exist`);
    const text = (cm['data'] as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
    assert.ok(text, `ConfigMap ${NODEGROUP_CONFIGMAP} has no key ${NODEGROUP_CONFIG_KEY}`);
    // Judged as the controller judges it.
    const { sections, error } = parseNodegroupConfig(text);
    assert.ok(!error, `${NODEGROUP_CONFIGMAP}: ${error}`);
    assert.ok(sections[section], `section ${section} of ${NODEGROUP_CONFIG_KEY} is not enabled`);
  },
);

Then('every nodegroup deployment is available', async function (this: RunbookWorld) {
  for (const name of NODEGROUP_DEPLOYMENTS) {
    const d = await this.ctx.verifier.get('deployment', name, NODEGROUP_NAMESPACE);
    assert.ok(d, `Deployment ${NODEGROUP_NAMESPACE}/${name} does not exist`);
    const status = (d['status'] ?? {}) as { availableReplicas?: number };
    const wanted = ((d['spec'] ?? {}) as { replicas?: number }).replicas ?? 1;
    assert.ok(
      (status.availableReplicas ?? 0) >= wanted,
      `Deployment ${name}: ${status.availableReplicas ?? 0}/${wanted} available`,
    );
  }
});

Then('every nodegroup pod is Running and Ready', async function (this: RunbookWorld) {
  const pods = await this.ctx.verifier.list('pod', { namespace: NODEGROUP_NAMESPACE });
  for (const name of NODEGROUP_DEPLOYMENTS) {
    const mine = pods.filter((p) => p.metadata.name?.startsWith(`${name}-`));
    assert.ok(
      mine.length > 0,
      `no pod of ${name} in ${NODEGROUP_NAMESPACE}; check: kubectl get pods -n ${NODEGROUP_NAMESPACE}`,
    );
    for (const pod of mine) {
      const status = (pod['status'] ?? {}) as {
        phase?: string;
        conditions?: { type: string; status: string }[];
      };
      const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      assert.ok(
        status.phase === 'Running' && ready,
        `pod ${pod.metadata.name} is ${status.phase}, ready=${ready}`,
      );
    }
  }
});
