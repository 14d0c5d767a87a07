/**
 * The `nodegroup-api` command line for each KAPI operation, as argv and as one line quoted for a
 * POSIX shell (src/shell.ts): what a blocked runbook step and a diagnosis finding tell the
 * operator to run.
 */
import { type BindingKind, bindingKind } from '../binding-kinds';
import { commandLine } from '../shell';
import type { KapiRequest } from './client';
import { withQuery } from './client';
import type { NodeGroupSpec } from './nodegroups';

const specFlags = (spec: NodeGroupSpec) =>
  (['alias', 'description', 'manager'] as const)
    .filter((k) => spec[k] !== undefined)
    .flatMap((k) => [`--${k}`, spec[k]!]);

const API = 'nodegroup-api';

export const commandArgs = {
  list: () => [API, 'nodegroup', 'list'],
  get: (name: string) => [API, 'nodegroup', 'get', name],
  create: (name: string, spec: NodeGroupSpec) => [
    API,
    'nodegroup',
    'create',
    '--name',
    name,
    ...specFlags(spec),
  ],
  patch: (name: string, spec: NodeGroupSpec) => [API, 'nodegroup', 'patch', name, ...specFlags(spec)],
  delete: (name: string) => [API, 'nodegroup', 'delete', name],
  binding: (verb: 'bind' | 'unbind', kind: BindingKind, group: string, target: string) => [
    API,
    verb,
    kind,
    '--nodegroup',
    group,
    `--${bindingKind(kind).cliFlag}`,
    target,
  ],
  request: (req: KapiRequest) => [
    API,
    'request',
    req.method,
    withQuery(req.path, req.query),
    ...(req.body === undefined ? [] : [JSON.stringify(req.body)]),
  ],
};

export const commands = {
  list: () => commandLine(commandArgs.list()),
  get: (name: string) => commandLine(commandArgs.get(name)),
  create: (name: string, spec: NodeGroupSpec) => commandLine(commandArgs.create(name, spec)),
  patch: (name: string, spec: NodeGroupSpec) => commandLine(commandArgs.patch(name, spec)),
  delete: (name: string) => commandLine(commandArgs.delete(name)),
  binding: (verb: 'bind' | 'unbind', kind: BindingKind, group: string, target: string) =>
    commandLine(commandArgs.binding(verb, kind, group, target)),
  request: (req: KapiRequest) => commandLine(commandArgs.request(req)),
};
