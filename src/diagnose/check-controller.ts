/**
 * The guide's deployment check: the nodegroup pods (`kubectl get pods -n kubesphere-system |
 * grep nodegroup`) Running and Ready, their Deployments available. A controller-manager that is
 * not Ready explains why nothing converges: requests stay recorded as intent, unapplied.
 */
import { bindingKindSpecs } from '../binding-kinds';
import { NODEGROUP_DEPLOYMENTS } from '../constants';
import { DESIRED_NODEGROUP_ANNOTATION } from './model-names';
import { annotationOf, byName, conditionOf, finding, nameOf } from './objects';
import { repairs as cmd } from './repairs';
import { type Evidence, type Finding, type KubeObject, targetsOf } from './types';

const phaseOf = (pod: KubeObject) => (pod['status'] as { phase?: string } | undefined)?.phase ?? 'Unknown';

/** Objects whose bind/unbind request waits for the controller. */
function pendingIntents(ev: Evidence): string[] {
  const out: string[] = [];
  for (const { kind, diagnoseField } of bindingKindSpecs()) {
    for (const obj of targetsOf(ev, diagnoseField)) {
      const intent = annotationOf(obj, DESIRED_NODEGROUP_ANNOTATION);
      if (intent !== undefined) out.push(`${kind}/${nameOf(obj)} -> ${intent || '(unbind)'}`);
    }
  }
  return out;
}

export function checkController(ev: Evidence): Finding[] {
  const findings: Finding[] = [];
  const healthy: string[] = [];
  for (const deployment of NODEGROUP_DEPLOYMENTS) {
    const pods = ev.pods.filter((p) => nameOf(p).startsWith(`${deployment}-`));
    const dep = byName(ev.deployments, deployment);
    const depStatus = dep?.['status'] as { availableReplicas?: number; readyReplicas?: number } | undefined;
    const objects = [
      ...(dep
        ? [{ ref: `deployment/${deployment}`, ...depStatus }]
        : [{ ref: `deployment/${deployment}`, found: false }]),
      ...pods.map((p) => ({
        ref: `pod/${nameOf(p)}`,
        phase: phaseOf(p),
        ready: conditionOf(p, 'Ready') ?? { type: 'Ready', status: 'Unknown' },
      })),
    ];
    const bad = pods.filter((p) => phaseOf(p) !== 'Running' || conditionOf(p, 'Ready')?.status !== 'True');
    if (pods.length && !bad.length) {
      healthy.push(...pods.map(nameOf));
      continue;
    }
    const isController = deployment === NODEGROUP_DEPLOYMENTS[1];
    const pending = isController ? pendingIntents(ev) : [];
    const state = pods.length
      ? bad
          .map((p) => `${nameOf(p)} ${phaseOf(p)}, Ready=${conditionOf(p, 'Ready')?.status ?? 'Unknown'}`)
          .join('; ')
      : 'no pod';
    const effect = isController
      ? 'the controller is not running: nothing converges, bind/unbind requests stay recorded but unapplied'
      : 'the nodegroup KAPI is not served: nodegroup-api requests fail';
    findings.push(
      finding('controller-health', 'fail', `${deployment}: ${state}`, {
        objects: pending.length ? [...objects, { ref: 'pending-requests', items: pending }] : objects,
        likelyCause: `${effect}${pending.length ? ` (${pending.length} pending: ${pending.join(', ')})` : ''}`,
        repair: cmd.restartDeployment(deployment),
      }),
    );
  }
  if (findings.length) return findings;
  return [finding('controller-health', 'pass', `pods Running and Ready: ${healthy.join(', ')}`)];
}
