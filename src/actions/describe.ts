/**
 * `describe`: every step as the command line a person would type, `nodegroup-api` for KAPI
 * writes, `kubectl` for object edits and reads, `curl` for the sandbox's faults. The words are
 * quoted by the one shell quoting function (src/shell.ts); the runbooks run the same argv.
 */
import { commandArgs } from '../kapi/commands';
import { nodegroupRequests } from '../kapi/nodegroups';
import { commandLine, shellQuote } from '../shell';
import type { Action, KubectlAction, ObjectEdit, Repair, Step } from './types';

type ObjectAction = Extract<KubectlAction, { op: 'patch-object' }>;

const KUBECTL_VERB: Record<ObjectEdit['type'], string> = {
  labels: 'label',
  annotations: 'annotate',
  'json-patch': 'patch',
  'merge-patch': 'patch',
};

/** `kubectl label|annotate|patch ...` of one object, as argv. */
function kubectlEditArgs(a: ObjectAction): string[] {
  if (!a.edit) throw new TypeError(`patch-object of ${a.resource} ${a.name} has no edit to describe`);
  const { edit } = a;
  const head = ['kubectl', KUBECTL_VERB[edit.type], a.as ?? a.resource, a.name];
  const ns = a.namespace ? ['-n', a.namespace] : [];
  if (edit.type === 'json-patch')
    return [...head, ...ns, '--type=json', '-p', JSON.stringify(edit.operations)];
  if (edit.type === 'merge-patch') return [...head, ...ns, '--type=merge', '-p', JSON.stringify(edit.patch)];
  const pairs = Object.entries(edit.set).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`));
  const overwrite = Object.values(edit.set).some((v) => v !== null) ? ['--overwrite'] : [];
  return [...head, ...ns, ...pairs, ...overwrite];
}

/** The argv of a step run by kubectl (without a `| grep`), or undefined for other tools. */
export function kubectlArgs(step: Step): string[] | undefined {
  switch (step.op) {
    case 'patch-object':
      return kubectlEditArgs(step);
    case 'restart-deployment':
      return ['kubectl', 'rollout', 'restart', `deployment/${step.name}`, '-n', step.namespace];
    case 'kubectl-read':
      return ['kubectl', ...step.args];
    default:
      return undefined;
  }
}

/** The argv of a step run by nodegroup-api, or undefined for other tools. */
export function apiArgs(step: Step): string[] | undefined {
  switch (step.op) {
    case 'list-nodegroups':
      return commandArgs.list();
    case 'get-nodegroup':
      return commandArgs.get(step.name);
    case 'create-nodegroup':
      return commandArgs.create(step.name, step.spec ?? {});
    case 'patch-nodegroup':
      return step.operations
        ? commandArgs.request(nodegroupRequests.jsonPatch(step.name, step.operations))
        : commandArgs.patch(step.name, step.spec ?? {});
    case 'delete-nodegroup':
      return commandArgs.delete(step.name);
    case 'bind':
    case 'unbind':
      return commandArgs.binding(step.op, step.kind, step.group, step.target);
    default:
      return undefined;
  }
}

/** `curl` on the sandbox's control API, with the host and token from the environment. */
function faultCurl(a: Extract<Action, { op: 'set-fault' | 'clear-fault' }>): string {
  const path = `/sandbox/v1/faults/${encodeURIComponent(a.name)}`;
  const body = a.op === 'set-fault' ? ['-d', JSON.stringify(a.options ?? {})] : [];
  return [
    commandLine(['curl', '-sS', '-X', a.op === 'set-fault' ? 'PUT' : 'DELETE']),
    '-H "Authorization: Bearer $TOKEN"',
    ...(body.length ? [commandLine(body)] : []),
    `"$KUBESPHERE_HOST"${shellQuote(path)}`,
  ].join(' ');
}

/** `kubectl create -f -` with the object's JSON on standard input (a here-string). */
const createLine = (a: Extract<Action, { op: 'create-object' }>): string =>
  `${commandLine(['kubectl', 'create', '-f', '-'])} <<< ${shellQuote(JSON.stringify(a.body))}`;

/** The command line of one step. */
export function describe(step: Step): string {
  if (step.op === 'set-fault' || step.op === 'clear-fault') return faultCurl(step);
  if (step.op === 'create-object') return createLine(step);
  const api = apiArgs(step);
  if (api) return commandLine(api);
  const line = commandLine(kubectlArgs(step)!);
  return step.op === 'kubectl-read' && step.grep !== undefined
    ? `${line} | grep ${shellQuote(step.grep)}`
    : line;
}

/** The command line of a repair: its steps in order, joined by `&&`. */
export const describeRepair = (repair: Repair): string => repair.map(describe).join(' && ');
