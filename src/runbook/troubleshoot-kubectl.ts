/**
 * kubectl in the safe flow, as the troubleshooting runbooks use it: reads (with `| grep WORD`),
 * and writes whose effect on the object is computed first, so the ledger entry holding the merge
 * patch that undoes the edit is on disk before kubectl runs; then the after-state is awaited with a
 * watch. A rollout restart is awaited as `kubectl rollout status` would.
 */
import type { KubeObject } from '../kube/reader';
import { Operator } from './binding-ops';
import { VerifyError } from './errors';
import type { Change } from './ledger';
import type { KubectlEffect } from './troubleshoot-commands';
import { applyEdit, holdsMergePatch, mergeDiff } from './troubleshoot-patch';

export type EditEffect = Extract<KubectlEffect, { type: 'edit' }>;

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

export class KubectlOperator extends Operator {
  protected async kubectl(command: string, args: string[]) {
    const result = await this.ctx.kubectl.run(args);
    if (result.exitCode !== 0)
      throw new VerifyError(`\`${command}\` failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
    return result;
  }

  /** The ledger entry first, then kubectl; if kubectl fails the entry is voided (nothing to undo). */
  private async ledgeredKubectl(command: string, args: string[], change: Change): Promise<void> {
    await this.ledgered(change, () => this.kubectl(command, args));
  }

  protected async kubectlRead(command: string, args: string[], grep?: string): Promise<string> {
    const { stdout } = await this.kubectl(command, args);
    if (grep === undefined) return stdout;
    return stdout
      .split('\n')
      .filter((line) => line.includes(grep))
      .join('\n');
  }

  /** Before, the ledger entry with the merge patch that undoes the edit, kubectl, the after-state. */
  protected async kubectlEdit(command: string, args: string[], effect: EditEffect): Promise<void> {
    const { resource, name, namespace } = effect;
    const before = await this.ctx.verifier.get(resource, name, namespace);
    this.snapshot('before', resource, name, before);
    if (!before)
      throw new VerifyError(
        `${resource} ${name} does not exist, so \`${command}\` cannot apply; diagnose again`,
      );
    const after = applyEdit(before, effect.edit);
    const forward = mergeDiff(before, after);
    await this.ledgeredKubectl(command, args, {
      op: 'patch-object',
      resource,
      name,
      ...(namespace ? { namespace } : {}),
      what: command,
      restore: mergeDiff(after, before),
    });
    const seen = await this.ctx.verifier.until(
      {
        resource,
        name,
        ...(namespace ? { namespace } : {}),
        description: `${resource} ${name} after \`${command}\``,
      },
      // Gone counts: removing the last finalizer of an object being deleted completes the delete.
      (o) => o === undefined || holdsMergePatch(o, forward),
    );
    this.snapshot('after', resource, name, seen);
  }

  protected async restart(command: string, args: string[], name: string, namespace: string): Promise<void> {
    await this.ledgeredKubectl(command, args, { op: 'restart-deployment', name, namespace });
    const seen = await this.ctx.verifier.until(
      {
        resource: 'deployment',
        name,
        namespace,
        description: `deployment ${namespace}/${name} rolled out and available`,
      },
      rolledOut,
    );
    this.snapshot('after', 'deployment', name, seen);
  }
}
