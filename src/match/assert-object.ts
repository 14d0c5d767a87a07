/**
 * Chainsaw's `assert` and `error` as runbook checks: wait (watch-driven, with the run's deadline)
 * until an object of any served kind matches an expected YAML document partially, or until it
 * no longer does. A failure names the object, the first mismatches (path, expected, actual) and
 * the kubectl command that shows it. The object may live on a member cluster (through the host).
 */

import { type KubeObject, type KubeReader, WaitTimeoutError } from '../kube/reader';
import type { ResourceRef } from '../kube/resources';
import { yaml } from '../lazy-yaml';
import { ConfigError, VerifyError } from '../runbook/errors';
import type { Operation } from '../runbook/evidence';
import { KindResolver } from './kinds';
import { describeMismatches, partialMatch } from './partial';

export interface ObjectTarget {
  /** The runbook's kind word: `node`, `pod`, `deployment`, ... */
  kind: string;
  /** The name, or `namespace/name` for a namespaced kind. */
  name: string;
  namespace?: string;
  /** A member cluster reached through the host; absent: the host. */
  cluster?: string;
}

interface Resolved {
  ref: ResourceRef;
  name: string;
  namespace?: string;
  /** `node worker-3`, `pod kubesphere-system/x` (and `on cluster m`). */
  label: string;
  kubectl: string;
}

/** The expected document of a step's doc string: one YAML map. */
export function parseExpected(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = yaml().parse(text);
  } catch (err) {
    const where =
      err instanceof yaml().YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ConfigError(
      `the expected document is not YAML${where}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || Object.keys(doc).length === 0)
    throw new ConfigError(
      'the expected document must be a YAML map of the fields to check (e.g. "metadata:\\n  labels: ..."), got ' +
        (doc === null || doc === undefined ? 'nothing' : Array.isArray(doc) ? 'a list' : JSON.stringify(doc)),
    );
  return doc as Record<string, unknown>;
}

export class ObjectAsserter {
  private readonly resolvers = new Map<string, KindResolver>();

  constructor(
    private readonly kube: KubeReader,
    private readonly record: (op: Operation) => void,
    private readonly timeoutMs: number,
  ) {}

  /** Wait until the object matches `expected`; returns what matched. */
  async matches(target: ObjectTarget, expected: Record<string, unknown>): Promise<KubeObject> {
    const t = await this.resolve(target);
    const seen = await this.wait(
      t,
      `${t.label} matches the expected document`,
      (o) => o !== undefined && partialMatch(expected, o).length === 0,
    ).catch((err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      if (!err.lastSeen)
        throw new VerifyError(
          `expected ${t.label} to match, but it does not exist; inspect with: ${t.kubectl}`,
        );
      const found = partialMatch(expected, err.lastSeen);
      throw new VerifyError(
        `expected ${t.label} to match, but it did not within ${this.timeoutMs} ms; ` +
          `${found.length} difference(s) (path: expected, actual):\n${describeMismatches(found)}\n` +
          `inspect with: ${t.kubectl}`,
      );
    });
    return seen!;
  }

  /** Wait until the object exists and differs from `expected` somewhere (Chainsaw's `error`). */
  async doesNotMatch(target: ObjectTarget, expected: Record<string, unknown>): Promise<KubeObject> {
    const t = await this.resolve(target);
    const seen = await this.wait(
      t,
      `${t.label} differs from the expected document`,
      (o) => o !== undefined && partialMatch(expected, o).length > 0,
    ).catch((err: unknown) => {
      if (!(err instanceof WaitTimeoutError)) throw err;
      if (!err.lastSeen)
        throw new VerifyError(
          `expected ${t.label} not to match, but it does not exist; inspect with: ${t.kubectl}`,
        );
      throw new VerifyError(
        `expected ${t.label} not to match, but it still matched every field of the document after ${this.timeoutMs} ms; inspect with: ${t.kubectl}`,
      );
    });
    return seen!;
  }

  private async wait(
    t: Resolved,
    description: string,
    holds: (o: KubeObject | undefined) => boolean,
  ): Promise<KubeObject | undefined> {
    const started = performance.now();
    const on = { resource: t.ref.plural, name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) };
    try {
      const seen = await this.kube.waitFor(t.ref, t.name, holds, {
        timeoutMs: this.timeoutMs,
        description,
        ...(t.namespace ? { namespace: t.namespace } : {}),
      });
      this.record({ kind: 'wait', description, ...on, ok: true, durationMs: performance.now() - started });
      return seen;
    } catch (err) {
      if (err instanceof WaitTimeoutError)
        this.record({
          kind: 'wait',
          description,
          ...on,
          ok: false,
          durationMs: performance.now() - started,
          lastSeen: err.lastSeen,
        });
      throw err;
    }
  }

  private resolver(cluster?: string): KindResolver {
    const key = cluster ?? '';
    const known = this.resolvers.get(key);
    if (known) return known;
    const made = new KindResolver(this.kube, cluster);
    this.resolvers.set(key, made);
    return made;
  }

  private async resolve(target: ObjectTarget): Promise<Resolved> {
    const ref = await this.resolver(target.cluster).resolve(target.kind);
    const word = target.kind.toLowerCase();
    const slash = target.name.indexOf('/');
    let { name, namespace } = target;
    if (slash >= 0) {
      if (namespace !== undefined)
        throw new ConfigError(
          `${word} "${target.name}" names its namespace twice: write "ns/name" or in namespace "ns", not both`,
        );
      namespace = target.name.slice(0, slash);
      name = target.name.slice(slash + 1);
    }
    if (!name || namespace === '') throw new ConfigError(`${word} "${target.name}": the name is empty`);
    if (ref.namespaced && !namespace)
      throw new ConfigError(
        `${word} is namespaced: write the ${word} "namespace/${name}" or add in namespace "..."`,
      );
    if (!ref.namespaced && namespace)
      throw new ConfigError(`${word} (${ref.kind}) is cluster-scoped: name it without a namespace`);
    const ns = namespace ? `${namespace}/` : '';
    const on = target.cluster ? ` on cluster ${target.cluster}` : '';
    const kubectl = `kubectl get ${ref.plural}${ref.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : ''} ${name}${namespace ? ` -n ${namespace}` : ''} -o yaml`;
    return {
      ref,
      name,
      ...(namespace ? { namespace } : {}),
      label: `${word} ${ns}${name}${on}`,
      kubectl,
    };
  }
}

/** The document with every string value passed through `rename` (a runbook's names -> the run's). */
export function renameValues(doc: unknown, rename: (value: string) => string): unknown {
  if (typeof doc === 'string') return rename(doc);
  if (Array.isArray(doc)) return doc.map((v) => renameValues(v, rename));
  if (typeof doc === 'object' && doc !== null)
    return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, renameValues(v, rename)]));
  return doc;
}
