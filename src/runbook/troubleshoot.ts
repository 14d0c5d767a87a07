/**
 * Troubleshooting in the safe flow: stage a symptom (sandbox faults, hand edits, a request the
 * controller never applies), diagnose with src/diagnose, and run the exact command a finding
 * recommends. Every change goes to the ledger before it is made, with what undoes it, so the After
 * hook puts the target back; what may run on the target is decided by troubleshoot-mode.
 */

import { parse, stringify } from 'yaml';
import { groupOfTarget } from '../binding-kinds';
import {
  type ConfigSection,
  IPPOOL_SYNCED_CONDITION,
  NODEGROUP_CONFIG_KEY,
  NODEGROUP_CONFIGMAP,
  NODEGROUP_DEPLOYMENTS,
  NODEGROUP_NAMESPACE,
} from '../constants';
import { type Diagnosis, diagnose } from '../diagnose/diagnose';
import { DESIRED_NODEGROUP_ANNOTATION } from '../diagnose/model-names';
import { conditionOf } from '../diagnose/objects';
import { renderDiagnosis } from '../diagnose/render';
import { kubeReaderSource } from '../diagnose/sources';
import type { Finding, Target } from '../diagnose/types';
import { commands, shellQuote } from '../kapi/commands';
import { type BindingKind, nodegroupRequests } from '../kapi/nodegroups';
import type { RunContext } from './context';
import { GuardrailError, VerifyError } from './errors';
import { FaultClient } from './faults';
import { parseRecommended, type RecommendedStep } from './troubleshoot-commands';
import { describeTarget } from './troubleshoot-findings';
import { KubectlOperator } from './troubleshoot-kubectl';
import { checkInjection, repairNotAllowedNote, troubleshootMode } from './troubleshoot-mode';
import { Undoer } from './undo';

const isWrite = (step: RecommendedStep) =>
  step.tool === 'nodegroup-api'
    ? step.action.verb === 'bind' || step.action.verb === 'unbind'
    : step.effect.type !== 'read';

export class Troubleshooter extends KubectlOperator {
  readonly faults: FaultClient;

  constructor(ctx: RunContext, scenario: string) {
    super(ctx, scenario);
    this.faults = new FaultClient(ctx.kapi, ctx.target);
  }

  get mode() {
    return troubleshootMode(this.guardTarget);
  }

  /** The guide's checklist over client-node reads; the rendered findings go to the evidence. */
  async diagnose(target: Target): Promise<Diagnosis> {
    const diagnosis = await diagnose(kubeReaderSource(this.ctx.verifier.kube), target);
    this.ctx.record({
      kind: 'note',
      text: `diagnosis of ${describeTarget(target)}:\n${renderDiagnosis(diagnosis, 'table')}`,
    });
    return diagnosis;
  }

  // --- staging a symptom (embedded sandbox only) ---

  async injectFault(name: string, options: Record<string, unknown> = {}): Promise<void> {
    checkInjection(this.guardTarget, `switch on fault ${name}`);
    const before = (await this.faults.get(name))?.options;
    await this.ledgered({ op: 'set-fault', name, ...(before ? { before } : {}) }, () =>
      this.faults.set(name, options),
    );
  }

  /** The cause goes away: undo this scenario's own injection of the fault now, as its After hook would. */
  async endFault(name: string): Promise<void> {
    const entry = this.ctx.ledger
      .pending(this.scenario)
      .find((e) => e.change.op === 'set-fault' && e.change.name === name);
    if (!entry)
      throw new VerifyError(`fault ${name} was not switched on by this scenario; switch it on first`);
    const done = await new Undoer({ kapi: this.ctx.kapi, verifier: this.ctx.verifier }, []).undo(
      entry.change,
    );
    this.ctx.ledger.markUndone(entry.seq);
    this.ctx.record({ kind: 'note', text: done });
  }

  /** An edit made by hand with kubectl (`label`, `annotate`, `patch`), ledgered like a repair. */
  async editByHand(args: string[]): Promise<void> {
    const command = ['kubectl', ...args.map(shellQuote)].join(' ');
    checkInjection(this.guardTarget, `run \`${command}\``);
    const [step] = parseRecommended(command);
    if (step?.tool !== 'kubectl' || step.effect.type !== 'edit')
      throw new VerifyError(`\`${command}\` is not an edit of one object`);
    await this.kubectlEdit(step.command, step.args, step.effect);
  }

  /** Switch a section of the nodegroup config off by hand (`kubectl patch cm`), the rest kept. */
  async disableConfigSection(section: ConfigSection): Promise<void> {
    const cm = await this.ctx.verifier.get('configmap', NODEGROUP_CONFIGMAP, NODEGROUP_NAMESPACE);
    const text = (cm?.['data'] as Record<string, string> | undefined)?.[NODEGROUP_CONFIG_KEY];
    if (text === undefined)
      throw new VerifyError(
        `ConfigMap ${NODEGROUP_NAMESPACE}/${NODEGROUP_CONFIGMAP} has no ${NODEGROUP_CONFIG_KEY} to edit`,
      );
    const doc = (parse(text) ?? {}) as Record<string, unknown>;
    const old = doc[section];
    doc[section] = { ...(typeof old === 'object' && old !== null ? old : {}), enabled: false };
    const patch = JSON.stringify({ data: { [NODEGROUP_CONFIG_KEY]: stringify(doc) } });
    await this.editByHand([
      'patch',
      'configmap',
      NODEGROUP_CONFIGMAP,
      '-n',
      NODEGROUP_NAMESPACE,
      '--type=merge',
      '-p',
      patch,
    ]);
  }

  /** A bind or unbind request through the KAPI, not waited on: for a controller that never applies it. */
  async requestBinding(
    verb: 'bind' | 'unbind',
    kind: BindingKind,
    group: string,
    target: string,
  ): Promise<void> {
    checkInjection(this.guardTarget, `${verb} ${kind} ${target} without waiting for the controller`);
    const before = await this.ctx.verifier.get(kind, target);
    this.snapshot('before', kind, target, before);
    const previous = groupOfTarget(kind, before);
    await this.change(
      { op: verb, kind, group, target, ...(previous ? { before: previous } : {}) },
      verb === 'bind'
        ? nodegroupRequests.bind(kind, group, target)
        : nodegroupRequests.unbind(kind, group, target),
      commands.binding(verb, kind, group, target),
    );
  }

  /** Wait until the KAPI's binding request shows on the target (the controller has not applied it). */
  async verifyPending(kind: BindingKind, target: string, group: string): Promise<void> {
    await this.ctx.verifier.until(
      {
        resource: kind,
        name: target,
        description: `${kind} ${target} with a request to join ${group} (${DESIRED_NODEGROUP_ANNOTATION}) not applied`,
      },
      (o) => o?.metadata.annotations?.[DESIRED_NODEGROUP_ANNOTATION] === group,
    );
  }

  /** Wait until the controller's Deployment has an available replica (`ready`) or has none. */
  async verifyControllerReady(ready: boolean): Promise<void> {
    const deployment = NODEGROUP_DEPLOYMENTS[1];
    await this.ctx.verifier.until(
      {
        resource: 'deployment',
        name: deployment,
        namespace: NODEGROUP_NAMESPACE,
        description: `deployment ${deployment} ${ready ? 'with' : 'without'} an available replica`,
      },
      (d) => {
        const available =
          (d?.['status'] as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
        return available > 0 === ready;
      },
    );
  }

  /** Wait until the group's IPPool condition says it is in sync (`inSync`) or out of sync. */
  async verifyIppoolSync(group: string, inSync: boolean): Promise<void> {
    const wanted = inSync ? 'True' : 'False';
    await this.ctx.verifier.until(
      {
        resource: 'nodegroup',
        name: group,
        description: `nodegroup ${group} with ${IPPOOL_SYNCED_CONDITION}=${wanted}`,
      },
      (g) => conditionOf(g, IPPOOL_SYNCED_CONDITION)?.status === wanted,
    );
  }

  // --- the repair a finding recommends ---

  /**
   * Run the recommended command as written (every part of `A && B` in order). The whole line is
   * read first, so a command the runbook cannot run changes nothing. Where repairs are not allowed
   * (diagnose-only), a command that writes is refused with the note naming it; reads still run.
   * Returns the output of kubectl reads.
   */
  async runRecommended(line: string): Promise<string[]> {
    const steps = parseRecommended(line);
    if (steps.some(isWrite) && !this.mode.repair)
      throw new GuardrailError(repairNotAllowedNote(this.guardTarget, line));
    const outputs: string[] = [];
    for (const step of steps) {
      if (step.tool === 'nodegroup-api') {
        const { action } = step;
        if (action.verb === 'bind') await this.bind(action.kind, action.group, action.target);
        else if (action.verb === 'unbind') await this.unbind(action.kind, action.group, action.target);
        else if (action.verb === 'get') await this.getNodeGroup(action.group);
        else await this.listNodeGroups();
      } else if (step.effect.type === 'read') {
        outputs.push(await this.kubectlRead(step.command, step.args, step.grep));
      } else if (step.effect.type === 'edit') {
        await this.kubectlEdit(step.command, step.args, step.effect);
      } else {
        await this.restart(step.command, step.args, step.effect.name, step.effect.namespace);
      }
    }
    return outputs;
  }

  /**
   * The diagnose-only flow for the findings of one check: run each recommended command where
   * repairs are allowed, and say so where they are not. A repair of a live target is kept (marked
   * in the ledger, not undone by the After hook): undoing it would break the target again.
   * Returns what to show the operator: notes and the output of reads.
   */
  async repairWhereAllowed(findings: Finding[]): Promise<string[]> {
    const shown: string[] = [];
    const todo = findings.filter((f) => f.status !== 'pass' && f.nextCommand);
    if (!todo.length) shown.push('nothing to repair');
    for (const { nextCommand } of todo) {
      const line = nextCommand!;
      if (parseRecommended(line).some(isWrite) && !this.mode.repair) {
        shown.push(repairNotAllowedNote(this.guardTarget, line));
        continue;
      }
      const before = new Set(this.ctx.ledger.entries().map((e) => e.seq));
      shown.push(...(await this.runRecommended(line)));
      if (this.ctx.target.kind === 'sandbox') continue;
      for (const entry of this.ctx.ledger.pending(this.scenario).filter((e) => !before.has(e.seq)))
        this.ctx.ledger.markUndone(entry.seq, 'kept');
      shown.push(
        `repaired ${this.ctx.target.host} with \`${line}\`; the repair is kept (not undone after the scenario)`,
      );
    }
    for (const text of shown) this.ctx.record({ kind: 'note', text });
    return shown;
  }
}
