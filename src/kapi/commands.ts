/**
 * The `nodegroup-api` command line for each KAPI operation, quoted for a POSIX shell: what a
 * blocked runbook step and a diagnosis finding tell the operator to run.
 */
import type { KapiRequest } from './client';
import { withQuery } from './client';
import type { BindingKind, NodeGroupSpec } from './nodegroups';

export const shellQuote = (value: string): string =>
  /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;

const specFlags = (spec: NodeGroupSpec) =>
  (['alias', 'description', 'manager'] as const)
    .filter((k) => spec[k] !== undefined)
    .map((k) => `--${k} ${shellQuote(spec[k]!)}`);

export const commands = {
  list: () => 'nodegroup-api nodegroup list',
  get: (name: string) => `nodegroup-api nodegroup get ${shellQuote(name)}`,
  create: (name: string, spec: NodeGroupSpec) =>
    ['nodegroup-api nodegroup create --name', shellQuote(name), ...specFlags(spec)].join(' '),
  patch: (name: string, spec: NodeGroupSpec) =>
    ['nodegroup-api nodegroup patch', shellQuote(name), ...specFlags(spec)].join(' '),
  delete: (name: string) => `nodegroup-api nodegroup delete ${shellQuote(name)}`,
  binding: (verb: 'bind' | 'unbind', kind: BindingKind, group: string, target: string) =>
    `nodegroup-api ${verb} ${kind} --nodegroup ${shellQuote(group)} --${kind} ${shellQuote(target)}`,
  request: (req: KapiRequest) =>
    ['nodegroup-api request', req.method, shellQuote(withQuery(req.path, req.query))]
      .concat(req.body === undefined ? [] : [shellQuote(JSON.stringify(req.body))])
      .join(' '),
};
