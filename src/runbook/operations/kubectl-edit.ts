/**
 * kubectl writes in the safe flow: the edit's effect on the object is computed first, so the
 * ledger entry holding the merge patch that undoes it is on disk before kubectl runs; then the
 * after-state is awaited with a watch. A rollout restart is awaited as `kubectl rollout status`
 * would. Reads run the step's argv and filter by its `| grep`.
 */
import { describe, kubectlArgs } from '../../actions/describe';
import type { KubectlAction, ReadStep } from '../../actions/types';
import type { KubeObject } from '../../kube/reader';
import { applyEdit, holdsMergePatch, mergeDiff } from '../actions/merge-patch';
import { TargetNotFoundError, VerifyError } from '../errors';
import type { Flow } from '../flow/flow';

export type EditAction = Extract<KubectlAction, { op: 'patch-object' }>;
export type RestartAction = Extract<KubectlAction, { op: 'restart-deployment' }>;

/** A Deployment whose latest generation is rolled out and available (what `kubectl rollout status` waits for). */
function rolledOut(d: KubeObject | undefined): boolean {
  if (!d) return false;
  const wanted = (d['spec'] as { replicas?: number } | undefined)?.replicas ?? 1;
  const s = (d['status'] ?? {}) as {
    observedGeneration?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
  const generation = Number(d.metadata['generation'] ?? 0);
  return (
    (s.observedGeneration ?? 0) >= generation &&
    (s.updatedReplicas ?? wanted) >= wanted &&
    (s.availableReplicas ?? 0) >= wanted
  );
}

/** The output of a kubectl read, filtered by the step's `| grep WORD`. */
export async function kubectlRead(
  flow: Flow,
  step: Extract<ReadStep, { op: 'kubectl-read' }>,
): Promise<string> {
  const { stdout } = await flow.kubectlRead(kubectlArgs(step)!);
  if (step.grep === undefined) return stdout;
  const word = step.grep;
  return stdout
    .split('\n')
    .filter((line) => line.includes(word))
    .join('\n');
}

/** Inspect, the ledger entry with the merge patch that undoes the edit, kubectl, the after-state. */
export async function kubectlEdit(flow: Flow, action: EditAction): Promise<void> {
  const { resource, name, namespace, edit } = action;
  const command = describe(action);
  if (!edit) throw new VerifyError(`\`${command}\` has no edit to make`);
  const before = await flow.inspect(resource, name, namespace);
  if (!before)
    throw new TargetNotFoundError(
      `${resource} ${name} does not exist, so \`${command}\` cannot apply; diagnose again`,
    );
  const after = applyEdit(before, edit);
  const forward = mergeDiff(before, after);
  await flow.act({ ...action, what: command, restore: mergeDiff(after, before) }, () => true);
  await flow.until(
    {
      resource,
      name,
      ...(namespace ? { namespace } : {}),
      description: `${resource} ${name} after \`${command}\``,
    },
    // Gone counts: removing the last finalizer of an object being deleted completes the delete.
    (o) => o === undefined || holdsMergePatch(o, forward),
    { after: true },
  );
}

export async function restartDeployment(flow: Flow, action: RestartAction): Promise<void> {
  const { name, namespace } = action;
  await flow.act(action, () => true);
  await flow.until(
    {
      resource: 'deployment',
      name,
      namespace,
      description: `deployment ${namespace}/${name} rolled out and available`,
    },
    rolledOut,
    { after: true },
  );
}
