/**
 * Staging a symptom in the safe flow (embedded sandbox only): sandbox faults, hand edits with
 * kubectl, a binding request the controller never applies; and the symptoms awaited. Every change
 * is an action ledgered before it is made, so the After hook puts the target back.
 */

import type { ObjectEdit } from '../../actions/types';
import type { BindingKind } from '../../binding-kinds';
import {
  type ConfigSection,
  IPPOOL_SYNCED_CONDITION,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../../constants';
import { DESIRED_NODEGROUP_ANNOTATION } from '../../diagnose/model-names';
import { conditionOf } from '../../diagnose/objects';
import type { ResourceName } from '../../kube/resources';
import { yaml } from '../../lazy-yaml';
import { ConfigError, VerifyError } from '../errors';
import type { Flow } from '../flow/flow';
import { inspectTarget } from '../operations/binding';
import { kubectlEdit } from '../operations/kubectl-edit';
import { checkInjection } from './mode';

export async function injectFault(
  flow: Flow,
  name: string,
  options: Record<string, unknown> = {},
): Promise<void> {
  checkInjection(flow.guardTarget, `switch on fault ${name}`);
  const before = (await flow.faults().get(name))?.options;
  await flow.act({ op: 'set-fault', name, options, ...(before ? { before } : {}) }, () => true);
}

/** The cause goes away: undo this scenario's own injection of the fault now, as its After hook would. */
export async function endFault(flow: Flow, name: string): Promise<void> {
  const entry = flow.pending().find((e) => e.change.op === 'set-fault' && e.change.name === name);
  if (!entry) throw new ConfigError(`fault ${name} was not switched on by this scenario; switch it on first`);
  await flow.undoNow(entry);
}

/** An edit made by hand with kubectl (`label`, `annotate`, `patch`), ledgered like a repair. */
export async function editByHand(
  flow: Flow,
  target: { resource: ResourceName; name: string; namespace?: string },
  edit: ObjectEdit,
): Promise<void> {
  const action = { op: 'patch-object' as const, ...target, edit, what: '' };
  checkInjection(flow.guardTarget, `edit ${target.resource} ${target.name} by hand`);
  await kubectlEdit(flow, action);
}

/** Remove a label or annotation by hand (`kubectl label|annotate R N KEY-`). */
export const removeByHand = (
  flow: Flow,
  field: 'label' | 'annotation',
  resource: ResourceName,
  name: string,
  key: string,
) =>
  editByHand(
    flow,
    { resource, name },
    { type: field === 'label' ? 'labels' : 'annotations', set: { [key]: null } },
  );

/** Switch a section of the nodegroup config off by hand (`kubectl patch configmap`), the rest kept. */
export async function disableConfigSection(flow: Flow, section: ConfigSection): Promise<void> {
  const cm = await flow.get('configmap', NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE);
  const text = (cm?.['data'] as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
  if (text === undefined)
    throw new VerifyError(
      `ConfigMap ${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP} has no ${NODEGROUP_CONFIG_KEY} to edit`,
    );
  const doc = (yaml().parse(text) ?? {}) as Record<string, unknown>;
  const old = doc[section];
  doc[section] = { ...(typeof old === 'object' && old !== null ? old : {}), enabled: false };
  await editByHand(
    flow,
    { resource: 'configmap', name: NODEGROUP_CONFIGMAP, namespace: NODEGROUP_NAMESPACE },
    { type: 'merge-patch', patch: { data: { [NODEGROUP_CONFIG_KEY]: yaml().stringify(doc) } } },
  );
}

/** A bind or unbind request through the KAPI, not waited on: for a controller that never applies it. */
export async function requestBinding(
  flow: Flow,
  verb: 'bind' | 'unbind',
  kind: BindingKind,
  group: string,
  target: string,
): Promise<void> {
  checkInjection(flow.guardTarget, `${verb} ${kind} ${target} without waiting for the controller`);
  const { previous } = await inspectTarget(flow, kind, target);
  await flow.act({ op: verb, kind, group, target, ...(previous ? { before: previous } : {}) });
}

/** Wait until the KAPI's binding request shows on the target (the controller has not applied it). */
export async function verifyPending(
  flow: Flow,
  kind: BindingKind,
  target: string,
  group: string,
): Promise<void> {
  await flow.until(
    {
      resource: kind,
      name: target,
      description: `${kind} ${target} with a request to join ${group} (${DESIRED_NODEGROUP_ANNOTATION}) not applied`,
    },
    (o) => o?.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION] === group,
  );
}

/** Wait until the controller's Deployment has an available replica (`ready`) or has none. */
export async function verifyControllerReady(flow: Flow, ready: boolean): Promise<void> {
  const deployment = NODEGROUP_DEPLOYMENTS[1];
  await flow.until(
    {
      resource: 'deployment',
      name: deployment,
      namespace: NODEGROUP_NAMESPACE,
      description: `deployment ${deployment} ${ready ? 'with' : 'without'} an available replica`,
    },
    (d) => {
      const available = (d?.['status'] as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
      return available > 0 === ready;
    },
  );
}

/** Wait until the group's IPPool condition says it is in sync (`inSync`) or out of sync. */
export async function verifyIppoolSync(flow: Flow, group: string, inSync: boolean): Promise<void> {
  const wanted = inSync ? 'True' : 'False';
  await flow.until(
    {
      resource: 'nodegroup',
      name: group,
      description: `nodegroup ${group} with ${IPPOOL_SYNCED_CONDITION}=${wanted}`,
    },
    (g) => conditionOf(g, IPPOOL_SYNCED_CONDITION)?.status === wanted,
  );
}
