/**
 * The binding kinds, as one table: what a nodegroup can be bound to, how the KAPI addresses it,
 * and the mark a completed binding leaves on the target. Types, the `{kind}` parameter type, the
 * CLI's subcommands, the client's paths, the sandbox's targets and the diagnosis derive from it:
 * adding a kind is an entry here, its fixture and its runbook.
 */
import {
  NAMESPACE_LABEL_PREFIX,
  NODE_GROUP_LABEL,
  WORKSPACE_LABEL,
  WORKSPACE_PARENT_ANNOTATION,
} from './constants';

/** Where a binding shows on its target: a label or an annotation, with its key. */
export interface BindingMark {
  on: 'label' | 'annotation';
  key: string;
}

export interface BindingKindSpec {
  /** The word runbooks, the CLI and the ledger use: `node`, `namespace`, `workspace`. */
  kind: string;
  /** Kubernetes kind of the target (also the first word of the controller's bound message). */
  targetKind: string;
  /** Target resource: API group ('' for core), version, URL plural. */
  group: string;
  version: string;
  resource: string;
  /**
   * The version is the group's preferred one, read from the server's discovery (once per run);
   * `version` is what a server without discovery of the group is read with.
   */
  discoverVersion?: boolean;
  /** KAPI path segment under `/nodegroups/{ng}/`. */
  kapiSegment: string;
  /** The mark a completed binding leaves on the target. */
  mark: BindingMark;
  /** (model) Event reasons of the controller. */
  reasons: { bound: string; unbound: string; bindFailed: string };
  /** CLI flag naming the target (`--node`). */
  cliFlag: string;
  /** Field of `nodegroup-api diagnose` input naming targets of this kind (`--node`, repeatable). */
  diagnoseField: string;
  /** The target's name: a DNS-1123 subdomain (nodes) or label (the rest). */
  name: 'subdomain' | 'label';
  /** (model) What else the controller writes for a binding of this kind. */
  binding: BindingEffects;
}

/** (model) What a binding writes beyond the target's mark, and what a group's delete does to it. */
export interface BindingEffects {
  /** The group carries label `<prefix><target>=<target>` for each bound target. */
  groupLabelPrefix?: string;
  /** The target carries the scheduling and IPPool annotations the config asks for. */
  placement?: boolean;
  /** Objects of these resources named as the target carry the same mark (WorkspaceTemplate). */
  mirrors?: readonly string[];
  /** Targets of another kind labelled `<label>=<target>` are bound with it, now and when they join. */
  members?: { kind: string; label: string };
  /** A group's delete removes these bindings (true), or waits until they are gone (false). */
  releasedOnDelete: boolean;
}

const spec = <K extends string>(
  kind: K,
  targetKind: string,
  api: { group: string; version: string; resource: string },
  mark: BindingMark,
  binding: BindingEffects,
  name: BindingKindSpec['name'] = 'label',
): BindingKindSpec & { kind: K } => ({
  kind,
  targetKind,
  ...api,
  kapiSegment: api.resource,
  mark,
  reasons: {
    bound: `${targetKind}Bound`,
    unbound: `${targetKind}Unbound`,
    bindFailed: `${targetKind}BindFailed`,
  },
  cliFlag: kind,
  diagnoseField: api.resource,
  name,
  binding,
});

export const BINDING_KIND_TABLE = [
  spec(
    'node',
    'Node',
    { group: '', version: 'v1', resource: 'nodes' },
    { on: 'label', key: NODE_GROUP_LABEL },
    { releasedOnDelete: false },
    'subdomain',
  ),
  spec(
    'namespace',
    'Namespace',
    { group: '', version: 'v1', resource: 'namespaces' },
    { on: 'label', key: NODE_GROUP_LABEL },
    { groupLabelPrefix: NAMESPACE_LABEL_PREFIX, placement: true, releasedOnDelete: true },
  ),
  {
    // KubeSphere 4.1 serves v1beta1 (storage) and still v1alpha1; 3.x only v1alpha1.
    ...spec(
      'workspace',
      'Workspace',
      { group: 'tenant.kubesphere.io', version: 'v1alpha1', resource: 'workspaces' },
      { on: 'annotation', key: WORKSPACE_PARENT_ANNOTATION },
      {
        mirrors: ['workspacetemplates'],
        members: { kind: 'namespace', label: WORKSPACE_LABEL },
        releasedOnDelete: true,
      },
    ),
    discoverVersion: true,
  },
] as const satisfies readonly BindingKindSpec[];

export type BindingKind = (typeof BINDING_KIND_TABLE)[number]['kind'];

/** A table entry whose word is a BindingKind (a kind defined by a test passes for one). */
export type BindingKindEntry = BindingKindSpec & { kind: BindingKind };

const registry: BindingKindEntry[] = [...BINDING_KIND_TABLE];

/** Every kind's word, in table order (live: a kind defined later shows here too). */
export const BINDING_KINDS: readonly BindingKind[] = registry.map((k) => k.kind);

/** The table's entries, read at call time (a test may define a kind). */
export const bindingKindSpecs = (): readonly BindingKindEntry[] => registry;

const find = (kind: string) => bindingKindSpecs().find((k) => k.kind === kind);

export const isBindingKind = (word: string): word is BindingKind => find(word) !== undefined;

/** The table entry of a kind; a word that is no kind is a programming error here (parse first). */
export function bindingKind(kind: BindingKind | string): BindingKindEntry {
  const found = find(kind);
  if (!found) throw new TypeError(`unknown binding kind "${kind}" (known: ${BINDING_KINDS.join(', ')})`);
  return found;
}

/**
 * Add a kind to the table at run time: for tests that prove everything derives from the table
 * (a fake kind binds, shows in the CLI and the parameter type). Not for production code: a real
 * kind is an entry of BINDING_KIND_TABLE.
 */
export function defineBindingKind(
  entry: Pick<BindingKindSpec, 'kind' | 'targetKind' | 'group' | 'version' | 'resource' | 'mark'> &
    Partial<Pick<BindingKindSpec, 'name' | 'binding' | 'kapiSegment'>>,
): BindingKindEntry {
  if (find(entry.kind)) throw new TypeError(`binding kind "${entry.kind}" is already defined`);
  const full = {
    ...spec(
      entry.kind as BindingKind,
      entry.targetKind,
      entry,
      entry.mark,
      entry.binding ?? { releasedOnDelete: false },
      entry.name,
    ),
    ...(entry.kapiSegment ? { kapiSegment: entry.kapiSegment } : {}),
  };
  registry.push(full);
  (BINDING_KINDS as BindingKind[]).push(full.kind);
  return full;
}

/** Remove a kind defineBindingKind added (a test's cleanup). */
export function forgetBindingKind(kind: string): void {
  const at = registry.findIndex((k) => k.kind === kind);
  if (at < BINDING_KIND_TABLE.length) throw new TypeError(`binding kind "${kind}" is not a defined one`);
  registry.splice(at, 1);
  (BINDING_KINDS as BindingKind[]).splice(at, 1);
}

/** The words of every kind as one alternation (`node|namespace|...`), for step patterns. */
export const bindingKindPattern = (): string => BINDING_KINDS.join('|');

/** The kinds in words: `node, namespace or workspace`. */
export const bindingKindWords = (): string =>
  BINDING_KINDS.length > 1
    ? `${BINDING_KINDS.slice(0, -1).join(', ')} or ${BINDING_KINDS.at(-1)}`
    : BINDING_KINDS.join('');

/** `v1`, `tenant.kubesphere.io/v1alpha1`: the target's apiVersion. */
export const apiVersionOf = (s: Pick<BindingKindSpec, 'group' | 'version'>): string =>
  s.group ? `${s.group}/${s.version}` : s.version;

/** The group a target belongs to, read from its mark. */
export function groupOfTarget(
  kind: BindingKind | string,
  obj: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } } | undefined,
): string | undefined {
  if (!obj) return undefined;
  const { mark } = bindingKind(kind);
  return (mark.on === 'label' ? obj.metadata.labels : obj.metadata.annotations)?.[mark.key];
}

/** How an operator reads the mark: `label apps.edgewize.io/nodegroup`. */
export const describeMark = (kind: BindingKind | string): string => {
  const { mark } = bindingKind(kind);
  return `${mark.on} ${mark.key}`;
};

/** The `{kind}` parameter type of the runbooks: every kind of the table, as its word. */
export const kindParameterType = () => ({
  name: 'kind',
  regexp: new RegExp(bindingKindPattern()),
  transformer: (kind: string) => kind as BindingKind,
});

/** The `{kinds}` parameter type (the plural word: `nodes`), read as its kind. */
export const kindsParameterType = () => ({
  name: 'kinds',
  regexp: new RegExp(BINDING_KINDS.map((k) => `${k}s`).join('|')),
  transformer: (plural: string) => plural.slice(0, -1) as BindingKind,
});
