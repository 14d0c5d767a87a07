/**
 * Reading the command a finding recommends, so the runbook runs exactly that command: POSIX shell
 * words (quotes, `'\''`), `A && B` (in order), `kubectl get ... | grep WORD`. Each command becomes
 * a step the runbook can run and ledger: a `nodegroup-api` operation (sent through the KAPI
 * client), a kubectl read, or a kubectl write whose effect on the object is known in advance
 * (labels, annotations, JSON or merge patch, rollout restart). Anything else is refused with the
 * command to run by hand; nothing is ever handed to a shell.
 */
import type { BindingKind } from '../kapi/nodegroups';
import type { ResourceName } from '../kube/resources';
import { ConfigError } from './errors';
import type { MergePatch } from './troubleshoot-patch';

export type ApiAction =
  | { verb: 'bind' | 'unbind'; kind: BindingKind; group: string; target: string }
  | { verb: 'get'; group: string }
  | { verb: 'list' };

/** What a kubectl write does to one object, as data. */
export type ObjectEdit =
  | { type: 'labels' | 'annotations'; set: Record<string, string | null> }
  | { type: 'json-patch'; operations: unknown[] }
  | { type: 'merge-patch'; patch: MergePatch };

export type KubectlEffect =
  | { type: 'read' }
  | { type: 'edit'; resource: ResourceName; name: string; namespace?: string; edit: ObjectEdit }
  | { type: 'restart'; name: string; namespace: string };

export type RecommendedStep =
  | { tool: 'nodegroup-api'; command: string; action: ApiAction }
  | { tool: 'kubectl'; command: string; args: string[]; grep?: string; effect: KubectlEffect };

/** A recommended command the runbook cannot run: the message says why and what to do instead. */
export class UnrunnableCommandError extends ConfigError {
  constructor(
    readonly command: string,
    readonly why: string,
  ) {
    super(`cannot run the recommended command \`${command}\`: ${why}; run it by hand if it is right`);
    this.name = 'UnrunnableCommandError';
  }
}

type Token = { word: string } | { op: '&&' | '|' };

/** Shell words and the operators `&&` and `|`; quotes and backslashes as in a POSIX shell. */
export function shellTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let word: string | undefined;
  const push = () => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UnrunnableCommandError(line, 'a single quote is not closed');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) i++;
        else if (line[i] === '$' || line[i] === '`')
          throw new UnrunnableCommandError(line, 'it expands variables or commands');
        text += line[i];
      }
      if (i >= line.length) throw new UnrunnableCommandError(line, 'a double quote is not closed');
      word = (word ?? '') + text;
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(c)) {
      push();
    } else if (c === '&' && line[i + 1] === '&') {
      push();
      tokens.push({ op: '&&' });
      i++;
    } else if (c === '|' && line[i + 1] !== '|') {
      push();
      tokens.push({ op: '|' });
    } else if (';&|<>$`(){}'.includes(c)) {
      throw new UnrunnableCommandError(line, `the shell syntax "${c}" is not supported`);
    } else {
      word = (word ?? '') + c;
    }
  }
  push();
  return tokens;
}

const RESOURCE_ALIASES: Record<string, ResourceName> = {};
for (const [resource, aliases] of Object.entries({
  node: ['node', 'nodes', 'no'],
  namespace: ['namespace', 'namespaces', 'ns'],
  configmap: ['configmap', 'configmaps', 'cm'],
  deployment: ['deployment', 'deployments', 'deploy'],
  pod: ['pod', 'pods', 'po'],
  nodegroup: ['nodegroup', 'nodegroups'],
  workspace: ['workspace', 'workspaces'],
  ippool: ['ippool', 'ippools'],
}))
  for (const alias of aliases) RESOURCE_ALIASES[alias] = resource as ResourceName;

const KUBECTL_READS = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'events']);
const BINDING_KINDS = ['node', 'namespace', 'workspace'];

/** Flags with a value (`-n x`, `--namespace=x`) taken out; the rest in order. */
function splitFlags(command: string, args: string[], withValue: string[]) {
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (withValue.includes(name!)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UnrunnableCommandError(command, `${name} needs a value`);
      flags[name!] = value;
    } else rest.push(arg);
  }
  return { flags, rest };
}

/** `TYPE NAME` or `TYPE/NAME` at the start of the positional arguments. */
function objectRef(
  command: string,
  positional: string[],
): { resource: ResourceName; name: string; rest: string[] } {
  const [first, ...more] = positional;
  const [type, slashName] = (first ?? '').split('/', 2);
  const resource = RESOURCE_ALIASES[type ?? ''];
  if (!resource) throw new UnrunnableCommandError(command, `the runbooks do not edit "${type}" objects`);
  const name = slashName ?? more.shift();
  if (!name) throw new UnrunnableCommandError(command, 'it names no object');
  return { resource, name, rest: more };
}

function parseJson(command: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UnrunnableCommandError(command, `its patch is not JSON (${(err as Error).message})`);
  }
}

function kubectlEffect(command: string, args: string[]): KubectlEffect {
  const { flags, rest } = splitFlags(command, args, ['-n', '--namespace', '--type', '-p', '--patch']);
  const namespace = flags['-n'] ?? flags['--namespace'];
  const ns = namespace ? { namespace } : {};
  const [verb, ...positional] = rest;
  if (verb && KUBECTL_READS.has(verb)) return { type: 'read' };
  if (verb === 'label' || verb === 'annotate') {
    const { resource, name, rest: pairs } = objectRef(command, positional);
    const set: Record<string, string | null> = {};
    for (const pair of pairs.filter((p) => p !== '--overwrite')) {
      const eq = pair.indexOf('=');
      if (eq > 0) set[pair.slice(0, eq)] = pair.slice(eq + 1);
      else if (pair.endsWith('-') && pair.length > 1) set[pair.slice(0, -1)] = null;
      else throw new UnrunnableCommandError(command, `"${pair}" is neither key=value nor key-`);
    }
    if (!Object.keys(set).length) throw new UnrunnableCommandError(command, `it ${verb}s nothing`);
    const type = verb === 'label' ? 'labels' : 'annotations';
    return { type: 'edit', resource, name, ...ns, edit: { type, set } };
  }
  if (verb === 'patch') {
    const { resource, name } = objectRef(command, positional);
    const text = flags['-p'] ?? flags['--patch'];
    if (text === undefined) throw new UnrunnableCommandError(command, 'it has no -p patch');
    const patch = parseJson(command, text);
    const type = flags['--type'] ?? 'strategic';
    if (type === 'json' && Array.isArray(patch))
      return { type: 'edit', resource, name, ...ns, edit: { type: 'json-patch', operations: patch } };
    if (type === 'merge' && typeof patch === 'object' && patch !== null && !Array.isArray(patch))
      return {
        type: 'edit',
        resource,
        name,
        ...ns,
        edit: { type: 'merge-patch', patch: patch as MergePatch },
      };
    throw new UnrunnableCommandError(
      command,
      `only --type=json (an array) or --type=merge (an object) patches are run`,
    );
  }
  if (verb === 'rollout' && positional[0] === 'restart') {
    const { resource, name } = objectRef(command, positional.slice(1));
    if (resource !== 'deployment')
      throw new UnrunnableCommandError(command, 'only Deployments are restarted');
    return { type: 'restart', name, namespace: namespace ?? 'default' };
  }
  throw new UnrunnableCommandError(command, `the runbooks do not run \`kubectl ${verb ?? ''}\``);
}

function apiAction(command: string, args: string[]): ApiAction {
  const [verb, noun, ...rest] = args;
  if (verb === 'nodegroup' && noun === 'list' && rest.length === 0) return { verb: 'list' };
  if (verb === 'nodegroup' && noun === 'get' && rest.length === 1) return { verb: 'get', group: rest[0]! };
  if ((verb === 'bind' || verb === 'unbind') && noun && BINDING_KINDS.includes(noun)) {
    const { flags, rest: extra } = splitFlags(command, rest, ['--nodegroup', `--${noun}`]);
    const group = flags['--nodegroup'];
    const target = flags[`--${noun}`];
    if (group && target && extra.length === 0) return { verb, kind: noun as BindingKind, group, target };
  }
  throw new UnrunnableCommandError(command, 'it is not a nodegroup-api command the runbooks run');
}

/** One step per command of `A && B`; the words are never handed to a shell. */
export function parseRecommended(line: string): RecommendedStep[] {
  const commands: Token[][] = [[]];
  for (const token of shellTokens(line)) {
    if ('op' in token && token.op === '&&') commands.push([]);
    else commands.at(-1)!.push(token);
  }
  return commands.map((tokens) => {
    const pipe = tokens.findIndex((t) => 'op' in t);
    const words = (pipe < 0 ? tokens : tokens.slice(0, pipe)).map((t) => (t as { word: string }).word);
    const text = words.join(' ');
    if (words.length === 0) throw new UnrunnableCommandError(line, 'it has an empty command');
    const [tool, ...args] = words;
    let grep: string | undefined;
    if (pipe >= 0) {
      const after = tokens.slice(pipe + 1).map((t) => ('word' in t ? t.word : '|'));
      if (after.length !== 2 || after[0] !== 'grep' || after[1]!.startsWith('-'))
        throw new UnrunnableCommandError(line, 'only `| grep WORD` may follow a command');
      grep = after[1]!;
    }
    if (tool === 'nodegroup-api' && grep === undefined)
      return { tool, command: text, action: apiAction(line, args) };
    if (tool === 'kubectl') {
      const effect = kubectlEffect(line, args);
      if (grep !== undefined && effect.type !== 'read')
        throw new UnrunnableCommandError(line, '`| grep` follows only a read');
      return { tool, command: text, args, ...(grep !== undefined ? { grep } : {}), effect };
    }
    throw new UnrunnableCommandError(line, `\`${tool}\` is neither nodegroup-api nor kubectl`);
  });
}
