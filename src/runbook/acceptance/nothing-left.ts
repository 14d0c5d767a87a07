/**
 * The acceptance's last check: nothing it created is left. Every ledger entry of this process
 * other than the running scenario's is undone, every object it created is gone, and on the
 * embedded sandbox the compared state equals the snapshot taken before the run.
 */
import { HttpError } from '../../kapi/errors';
import { nodegroupRequests } from '../../kapi/nodegroups';
import type { RunContext } from '../context';
import { VerifyError } from '../errors';
import { describeChange } from '../ledger/cleanup';
import { diffState, type StateSnapshot, snapshotState } from '../ledger/state-snapshot';

async function groupExists(ctx: RunContext, name: string): Promise<boolean> {
  try {
    await ctx.kapi.call(nodegroupRequests.get(name));
    return true;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return false;
    throw err;
  }
}

export async function checkNothingLeft(
  ctx: RunContext,
  scenario: string,
  baseline?: StateSnapshot,
): Promise<string[]> {
  const problems: string[] = [];
  for (const e of ctx.ledger.pending().filter((p) => p.scenario !== scenario))
    problems.push(`not undone: ${describeChange(e.change)}`);
  const proven: string[] = [];
  for (const { change } of ctx.ledger.entries()) {
    if (change.op === 'create-object') {
      const left = await ctx.verifier.get(change.resource, change.name, change.namespace);
      const ref = `${change.resource} ${change.namespace ? `${change.namespace}/` : ''}${change.name}`;
      if (left) problems.push(`still there: ${ref}`);
      else proven.push(`${ref} gone`);
    } else if (change.op === 'create-nodegroup') {
      if (await groupExists(ctx, change.name)) problems.push(`still there: nodegroup ${change.name}`);
      else proven.push(`nodegroup ${change.name} gone`);
    }
  }
  if (baseline)
    for (const line of diffState(baseline, await snapshotState(ctx.verifier.kube))) problems.push(line);
  if (problems.length)
    throw new VerifyError(
      `the acceptance left the target changed:\n  ${problems.join('\n  ')}\nundo with: nodegroup-runbooks revert --run-id ${ctx.runId}`,
    );
  return proven;
}
