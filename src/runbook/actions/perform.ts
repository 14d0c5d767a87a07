/**
 * `do`: one action carried out with the tool its command line names — the KAPI client for
 * `nodegroup-api` writes, kubectl (the exact argv `describe` renders) for object edits and
 * restarts, the sandbox's control API for faults. The ledger entry is written before this runs
 * (src/runbook/flow/flow.ts); undo is src/runbook/ledger/undo.ts.
 */
import { kubectlArgs } from '../../actions/describe';
import type { Action, KapiAction } from '../../actions/types';
import type { KapiClient, KapiRequest } from '../../kapi/client';
import { nodegroupRequests } from '../../kapi/nodegroups';
import { commandLine } from '../../shell';
import { VerifyError } from '../errors';
import { createRequest } from './create-object';
import { FaultClient } from './fault-client';
import type { Kubectl, KubectlResult } from './kubectl-runner';

/** The KAPI request of a write. */
export function requestOf(action: KapiAction): KapiRequest {
  switch (action.op) {
    case 'create-nodegroup':
      return nodegroupRequests.create(action.name, action.spec ?? {});
    case 'patch-nodegroup':
      return action.operations
        ? nodegroupRequests.jsonPatch(action.name, action.operations)
        : nodegroupRequests.setSpecFields(action.name, action.spec ?? {});
    case 'delete-nodegroup':
      return nodegroupRequests.delete(action.name);
    case 'bind':
    case 'unbind':
      return nodegroupRequests[action.op](action.kind, action.group, action.target);
  }
}

export interface ActionTools {
  kapi: KapiClient;
  kubectl: Kubectl;
  target: { kind: 'sandbox' | 'live'; host: string };
}

/** kubectl with argv; a non-zero exit is an error naming the command and kubectl's stderr. */
export async function runKubectl(kubectl: Kubectl, argv: string[]): Promise<KubectlResult> {
  const result = await kubectl.run(argv.slice(1));
  if (result.exitCode !== 0)
    throw new VerifyError(
      `\`${commandLine(argv)}\` failed (exit ${result.exitCode}): ${result.stderr.trim()}`,
    );
  return result;
}

/** Do the action; `send` carries KAPI requests (the flow explains a blocked one). */
export async function perform(
  action: Action,
  tools: ActionTools,
  send: (req: KapiRequest) => Promise<unknown> = (req) => tools.kapi.call(req),
): Promise<unknown> {
  switch (action.op) {
    case 'create-nodegroup':
    case 'patch-nodegroup':
    case 'delete-nodegroup':
    case 'bind':
    case 'unbind':
      return send(requestOf(action));
    case 'create-object':
      return send(createRequest(action));
    case 'patch-object':
    case 'restart-deployment':
      return runKubectl(tools.kubectl, kubectlArgs(action)!);
    case 'set-fault':
      return new FaultClient(tools.kapi, tools.target).set(action.name, action.options ?? {});
    case 'clear-fault':
      return new FaultClient(tools.kapi, tools.target).clear(action.name);
  }
}
