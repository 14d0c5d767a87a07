/**
 * The diagnosis in a runbook and the repair a finding carries: its steps are run as typed
 * actions in the safe flow (each ledgered first), with the tool its command line names, so the
 * line the operator is shown is the one that ran. What may run on the target is decided by mode.ts.
 */
import { describeRepair } from '../../actions/describe';
import { isRead, type Repair, type Step } from '../../actions/types';
import { type Diagnosis, diagnose } from '../../diagnose/diagnose';
import { renderDiagnosis } from '../../diagnose/render';
import { kubeReaderSource } from '../../diagnose/sources';
import type { Finding, Target } from '../../diagnose/types';
import { ConfigError, GuardrailError } from '../errors';
import type { Flow } from '../flow/flow';
import { bind, unbind } from '../operations/binding';
import { kubectlEdit, kubectlRead, restartDeployment } from '../operations/kubectl-edit';
import {
  createNodeGroup,
  deleteNodeGroup,
  getNodeGroup,
  jsonPatchNodeGroup,
  listNodeGroups,
  patchNodeGroup,
} from '../operations/nodegroup';
import { describeTarget } from './findings';
import { repairNotAllowedNote, troubleshootMode } from './mode';

/** The guide's checklist over client-node reads; the rendered findings go to the evidence. */
export async function diagnoseTarget(flow: Flow, target: Target): Promise<Diagnosis> {
  const diagnosis = await diagnose(kubeReaderSource(flow.kube), target);
  flow.note(`diagnosis of ${describeTarget(target)}:\n${renderDiagnosis(diagnosis, 'table')}`);
  return diagnosis;
}

/** One step, with its tool; returns the output of a kubectl read. */
async function runStep(flow: Flow, step: Step): Promise<string | undefined> {
  switch (step.op) {
    case 'bind':
      return void (await bind(flow, step.kind, step.group, step.target));
    case 'unbind':
      return void (await unbind(flow, step.kind, step.group, step.target));
    case 'get-nodegroup':
      return void (await getNodeGroup(flow, step.name));
    case 'list-nodegroups':
      return void (await listNodeGroups(flow));
    case 'create-nodegroup':
      return void (await createNodeGroup(flow, step.name, step.spec ?? {}));
    case 'patch-nodegroup':
      return void (step.operations
        ? await jsonPatchNodeGroup(flow, step.name, step.operations)
        : await patchNodeGroup(flow, step.name, step.spec ?? {}));
    case 'delete-nodegroup':
      return void (await deleteNodeGroup(flow, step.name));
    case 'kubectl-read':
      return kubectlRead(flow, step);
    case 'patch-object':
      return void (await kubectlEdit(flow, step));
    case 'restart-deployment':
      return void (await restartDeployment(flow, step));
    case 'create-object':
      return void (await flow.act(step));
    case 'set-fault':
    case 'clear-fault':
      throw new ConfigError(`a repair does not switch sandbox faults (${describeRepair([step])})`);
  }
}

const writes = (repair: Repair) => repair.some((s) => !isRead(s));

/**
 * Run the repair's steps in order. Where repairs are not allowed (diagnose-only), a repair that
 * writes is refused with the note naming its command line; reads still run. Returns the output of
 * kubectl reads.
 */
export async function runRepair(flow: Flow, repair: Repair): Promise<string[]> {
  if (!repair.length) throw new ConfigError('the finding recommends nothing to run');
  // The whole repair is judged before its first step runs, so one it cannot finish changes nothing.
  const fault = repair.find((s) => s.op === 'set-fault' || s.op === 'clear-fault');
  if (fault) throw new ConfigError(`a repair does not switch sandbox faults (${describeRepair([fault])})`);
  if (writes(repair) && !troubleshootMode(flow.guardTarget).repair)
    throw new GuardrailError(repairNotAllowedNote(flow.guardTarget, describeRepair(repair)));
  const outputs: string[] = [];
  for (const step of repair) {
    const out = await runStep(flow, step);
    if (out !== undefined) outputs.push(out);
  }
  return outputs;
}

/**
 * The diagnose-only flow for the findings of one check: run each repair where repairs are
 * allowed, and say so where they are not. A repair of a live target is kept (marked in the
 * ledger, not undone by the After hook): undoing it would break the target again. Returns what to
 * show the operator: notes and the output of reads.
 */
export async function repairWhereAllowed(flow: Flow, findings: Finding[]): Promise<string[]> {
  const shown: string[] = [];
  const todo = findings.filter((f) => f.status !== 'pass' && f.repair?.length);
  if (!todo.length) shown.push('nothing to repair');
  for (const { repair } of todo) {
    const line = describeRepair(repair!);
    if (writes(repair!) && !troubleshootMode(flow.guardTarget).repair) {
      shown.push(repairNotAllowedNote(flow.guardTarget, line));
      continue;
    }
    const before = new Set(flow.pending().map((e) => e.seq));
    shown.push(...(await runRepair(flow, repair!)));
    if (flow.guardTarget.kind === 'sandbox') continue;
    for (const entry of flow.pending().filter((e) => !before.has(e.seq))) flow.keep(entry);
    shown.push(
      `repaired ${flow.guardTarget.host} with \`${line}\`; the repair is kept (not undone after the scenario)`,
    );
  }
  for (const text of shown) flow.note(text);
  return shown;
}
