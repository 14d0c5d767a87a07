/**
 * One object store for every kind (after client-go's object tracker).
 *
 * - One resourceVersion counter, bumped on every write; every object carries the version of its
 *   last write, and watch events are numbered by it.
 * - Objects are stored immutable: writes replace them, reads hand out deep copies (`get`, `list`)
 *   or a cached JSON rendering (`getJSON`, `listJSON`) for the HTTP hot path.
 * - Create and update go through one private `write`; watchers are notified from one place.
 * - Watch resumes from a resourceVersion within the last `historySize` events; older -> 410 Gone.
 * - An index by label `key=value`, built on a kind's first `=`/`==`/`in` selector, answers those
 *   without scanning the whole table (a selector list matching 1,000 of 10,000 nodes costs about
 *   a list of 1,000); results keep the table's order (first insertion), as a full scan gives.
 * - Delete honours finalizers: an object with finalizers gets deletionTimestamp and stays until an
 *   update empties them.
 * Limits: no garbage collection of owned objects, no namespace cascade, no chunked lists.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { apiVersionOf, kindByResource, type ResourceKind } from './kinds';
import { deepCopy, type KubeObject } from './object';
import {
  indexableRequirements,
  type Matcher,
  parseLabelSelector,
  type Requirement,
  selectorMatcher,
} from './selectors';
import { alreadyExists, conflict, invalid, notFound, StatusError } from './status';
import { annotationsErrors, dns1123LabelErrors, dns1123SubdomainErrors, labelsErrors } from './validation';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  resource: string;
  object: KubeObject;
  resourceVersion: number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Deliver events after this version; '' or '0' means "from now". */
  resourceVersion?: string;
}

/** One stored object; the same Entry lives as long as its key, so the index can hold it. */
interface Entry {
  object: KubeObject;
  /** JSON text of `object`, rendered on first read and dropped on every write. */
  json?: string;
  /** Position in the table (first insertion); updates keep it, as Map.set on a present key does. */
  seq: number;
}

interface Watcher {
  resource: string;
  namespace?: string;
  match: Matcher;
  listener: (event: WatchEvent) => void;
}

export interface StoreDump {
  resourceVersion: number;
  objects: Record<string, KubeObject[]>;
}

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
};

const keyOf = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);
/** Index key of one label; '\0' cannot occur in a label key or value. */
const labelKeyOf = (key: string, value: string) => `${key}\0${value}`;
type Labels = Record<string, string> | undefined;

export class ObjectStore {
  private readonly tables = new Map<string, Map<string, Entry>>();
  /** resource -> labelKeyOf(key, value) -> the entries carrying that label. */
  private readonly labelIndex = new Map<string, Map<string, Set<Entry>>>();
  private seq = 0;
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private version = 0;
  /** Oldest version a watch may resume from (history was trimmed after it). */
  private compactedAt = 0;

  constructor(private readonly historySize = 10_000) {}

  get resourceVersion(): string {
    return String(this.version);
  }

  private table(resource: string): Map<string, Entry> {
    let table = this.tables.get(resource);
    if (!table) {
      kindByResource(resource); // throws for a resource the sandbox does not serve
      table = new Map();
      this.tables.set(resource, table);
    }
    return table;
  }

  private entry(kind: ResourceKind, namespace: string | undefined, name: string): Entry {
    const entry = this.table(kind.resource).get(keyOf(kind.namespaced ? namespace : undefined, name));
    if (!entry) throw notFound(kind.resource, kind.group, name);
    return entry;
  }

  has(resource: string, namespace: string | undefined, name: string): boolean {
    const kind = kindByResource(resource);
    return this.table(resource).has(keyOf(kind.namespaced ? namespace : undefined, name));
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject {
    return deepCopy(this.entry(kindByResource(resource), namespace, name).object);
  }

  /** The object as JSON text, cached per version: what GET serves without copying. */
  getJSON(resource: string, namespace: string | undefined, name: string): string {
    const entry = this.entry(kindByResource(resource), namespace, name);
    entry.json ??= JSON.stringify(entry.object);
    return entry.json;
  }

  /** Put an object under `key`, keeping its table position and the label index in step. */
  private put(resource: string, key: string, object: KubeObject): void {
    const table = this.table(resource);
    let entry = table.get(key);
    const before = entry?.object.metadata.labels;
    if (entry) {
      entry.object = object;
      entry.json = undefined;
    } else {
      entry = { object, seq: ++this.seq };
      table.set(key, entry);
    }
    this.reindex(resource, entry, before, object.metadata.labels);
  }

  private drop(resource: string, key: string): void {
    const table = this.table(resource);
    const entry = table.get(key);
    if (!entry) return;
    this.reindex(resource, entry, entry.object.metadata.labels, undefined);
    table.delete(key);
  }

  /** Keep a resource's label index in step with a write; a resource never selected has none. */
  private reindex(resource: string, entry: Entry, before: Labels, after: Labels): void {
    const index = this.labelIndex.get(resource);
    if (!index) return;
    if (before) {
      for (const [label, value] of Object.entries(before)) {
        if (after && Object.hasOwn(after, label) && after[label] === value) continue;
        const holders = index.get(labelKeyOf(label, value));
        holders?.delete(entry);
        if (holders?.size === 0) index.delete(labelKeyOf(label, value));
      }
    }
    if (after) {
      for (const [label, value] of Object.entries(after)) {
        if (before && Object.hasOwn(before, label) && before[label] === value) continue;
        const indexKey = labelKeyOf(label, value);
        let holders = index.get(indexKey);
        if (!holders) {
          holders = new Set();
          index.set(indexKey, holders);
        }
        holders.add(entry);
      }
    }
  }

  /**
   * The label index of a resource, built on its first `=`/`in` selector (so kinds that are only
   * written, such as Events, pay nothing) and kept in step by every write after that.
   */
  private indexOf(resource: string): Map<string, Set<Entry>> {
    let index = this.labelIndex.get(resource);
    if (!index) {
      index = new Map();
      this.labelIndex.set(resource, index);
      for (const entry of this.table(resource).values())
        this.reindex(resource, entry, undefined, entry.object.metadata.labels);
    }
    return index;
  }

  /**
   * Entries a label selector can match, from the index, when one of its `=`/`in` requirements
   * narrows the table to under half; undefined means "scan the table".
   */
  private candidates(resource: string, labelSelector: readonly Requirement[]): Entry[] | undefined {
    const requirements = indexableRequirements(labelSelector);
    if (requirements.length === 0) return undefined;
    const table = this.table(resource);
    const index = this.indexOf(resource);
    let best: Set<Entry>[] | undefined;
    let bestSize = table.size / 2;
    for (const { key, values } of requirements) {
      const sets = [...new Set(values)].flatMap((value) => index.get(labelKeyOf(key, value)) ?? []);
      const size = sets.reduce((sum, set) => sum + set.size, 0);
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (!best) return undefined;
    const entries = best.length === 1 ? [...best[0]!] : best.flatMap((set) => [...set]);
    return entries.sort((a, b) => a.seq - b.seq);
  }

  private select(resource: string, options: ListOptions): Entry[] {
    const kind = kindByResource(resource);
    const labelSelector = parseLabelSelector(options.labelSelector); // once, for the index and the match
    const match = selectorMatcher(labelSelector, options.fieldSelector, resource);
    const out: Entry[] = [];
    const namespace = kind.namespaced ? options.namespace : undefined;
    const entries = this.candidates(resource, labelSelector) ?? this.table(resource).values();
    for (const entry of entries) {
      if (namespace && entry.object.metadata.namespace !== namespace) continue;
      if (match(entry.object)) out.push(entry);
    }
    return out;
  }

  list(resource: string, options: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    return {
      items: this.select(resource, options).map((e) => deepCopy(e.object)),
      resourceVersion: this.resourceVersion,
    };
  }

  /** Matching objects as JSON texts (cached per version), for the list hot path. */
  listJSON(resource: string, options: ListOptions = {}): { items: string[]; resourceVersion: string } {
    const items = this.select(resource, options).map((entry) => {
      entry.json ??= JSON.stringify(entry.object);
      return entry.json;
    });
    return { items, resourceVersion: this.resourceVersion };
  }

  create(resource: string, input: KubeObject): KubeObject {
    const kind = kindByResource(resource);
    const obj = deepCopy(input);
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (!meta.name && meta.generateName)
      meta.name = meta.generateName + randomBytes(4).toString('hex').slice(0, 5);
    if (!meta.name) {
      throw invalid(kind.kind, kind.group, '', [
        { field: 'metadata.name', message: 'Required value: name or generateName is required' },
      ]);
    }
    if (kind.namespaced && !meta.namespace) meta.namespace = 'default';
    if (!kind.namespaced) delete meta.namespace;
    if (kind.namespaced && meta.namespace && !this.has('namespaces', undefined, meta.namespace)) {
      throw new StatusError('NotFound', `namespaces "${meta.namespace}" not found`, {
        name: meta.namespace,
        kind: 'namespaces',
      });
    }
    this.validate(kind, obj);
    const table = this.table(resource);
    const key = keyOf(meta.namespace, meta.name);
    if (table.has(key)) throw alreadyExists(kind.resource, kind.group, meta.name);
    obj.apiVersion = apiVersionOf(kind);
    obj.kind = kind.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (kind.generation) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    return this.write(kind, obj, 'ADDED');
  }

  /**
   * Replace an object. A resourceVersion in the input must match the stored one (409 otherwise);
   * none means "last write wins". Identity and deletion fields are kept from the stored object.
   * Emptying the finalizers of an object being deleted removes it.
   */
  update(resource: string, input: KubeObject): KubeObject {
    const kind = kindByResource(resource);
    const obj = deepCopy(input);
    const meta = obj.metadata ?? {};
    obj.metadata = meta;
    const name = meta.name ?? '';
    const current = this.entry(kind, meta.namespace, name).object;
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        kind.resource,
        kind.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (meta.uid && meta.uid !== current.metadata.uid) {
      throw conflict(
        kind.resource,
        kind.group,
        name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    this.validate(kind, obj);
    obj.apiVersion = apiVersionOf(kind);
    obj.kind = kind.kind;
    meta.namespace = current.metadata.namespace;
    if (!kind.namespaced) delete meta.namespace;
    meta.uid = current.metadata.uid;
    meta.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.deletionTimestamp) meta.deletionTimestamp = current.metadata.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (current.metadata.deletionTimestamp && current.metadata.deletionGracePeriodSeconds !== undefined) {
      meta.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
    }
    const specChanged = JSON.stringify(obj.spec) !== JSON.stringify(current.spec);
    if (kind.generation) meta.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    else delete meta.generation;
    if (meta.deletionTimestamp && !meta.finalizers?.length) {
      delete meta.finalizers;
      return this.remove(kind, obj);
    }
    if (
      JSON.stringify({ ...obj, metadata: { ...meta, resourceVersion: undefined } }) ===
      JSON.stringify({ ...current, metadata: { ...current.metadata, resourceVersion: undefined } })
    ) {
      return deepCopy(current); // a no-op update writes nothing, as the API server does
    }
    return this.write(kind, obj, 'MODIFIED');
  }

  /**
   * Read-modify-write with the latest version: `change` edits the copy in place and may return
   * false to skip the write (anything else writes; an unchanged object writes nothing anyway).
   */
  mutate(
    resource: string,
    namespace: string | undefined,
    name: string,
    // biome-ignore lint/suspicious/noConfusingVoidType: most edits return nothing; only false skips the write
    change: (obj: KubeObject) => boolean | void,
  ): KubeObject {
    const obj = this.get(resource, namespace, name);
    if (change(obj) === false) return obj;
    return this.update(resource, obj);
  }

  delete(
    resource: string,
    namespace: string | undefined,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
  ): KubeObject {
    const kind = kindByResource(resource);
    const current = this.entry(kind, namespace, name).object;
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw conflict(
        kind.resource,
        kind.group,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        kind.resource,
        kind.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return deepCopy(current);
      const obj = deepCopy(current);
      obj.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      obj.metadata.deletionGracePeriodSeconds = 0;
      return this.write(kind, obj, 'MODIFIED');
    }
    return this.remove(kind, deepCopy(current));
  }

  private remove(kind: ResourceKind, obj: KubeObject): KubeObject {
    this.version++;
    obj.metadata.resourceVersion = String(this.version);
    this.drop(kind.resource, keyOf(obj.metadata.namespace, obj.metadata.name ?? ''));
    this.emit({ type: 'DELETED', resource: kind.resource, object: obj, resourceVersion: this.version });
    return deepCopy(obj);
  }

  private write(kind: ResourceKind, obj: KubeObject, type: WatchEventType): KubeObject {
    this.version++;
    obj.metadata.resourceVersion = String(this.version);
    this.put(kind.resource, keyOf(obj.metadata.namespace, obj.metadata.name ?? ''), obj);
    this.emit({ type, resource: kind.resource, object: obj, resourceVersion: this.version });
    return deepCopy(obj);
  }

  private validate(kind: ResourceKind, obj: KubeObject): void {
    const meta = obj.metadata;
    // The apiserver serializes these with omitempty: an empty map or list is not stored.
    for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
      const value = meta[key] as unknown;
      if (
        value !== undefined &&
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).length === 0
      )
        delete meta[key];
    }
    const name = meta.name ?? '';
    const nameErrors =
      kind.resource === 'namespaces' ? dns1123LabelErrors(name) : dns1123SubdomainErrors(name);
    const causes = [
      ...nameErrors.map((message) => ({
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${message}`,
      })),
      ...labelsErrors(meta.labels),
      ...annotationsErrors(meta.annotations),
    ];
    if (
      meta.finalizers !== undefined &&
      !(Array.isArray(meta.finalizers) && meta.finalizers.every((f) => typeof f === 'string'))
    ) {
      causes.push({ field: 'metadata.finalizers', message: 'must be a list of strings' });
    }
    if (causes.length) throw invalid(kind.kind, kind.group, name, causes);
  }

  private emit(event: WatchEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.compactedAt = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const watcher of this.watchers) {
      if (watcher.resource !== event.resource) continue;
      if (watcher.namespace && event.object.metadata.namespace !== watcher.namespace) continue;
      if (watcher.match(event.object)) watcher.listener(event);
    }
  }

  /**
   * Watch a resource. Events after `resourceVersion` still in history are replayed first
   * (synchronously), then live events follow. Returns a function that stops the watch.
   */
  watch(resource: string, options: WatchOptions, listener: (event: WatchEvent) => void): () => void {
    const kind = kindByResource(resource);
    const match = selectorMatcher(options.labelSelector, options.fieldSelector, resource);
    const namespace = kind.namespaced ? options.namespace : undefined;
    const from = options.resourceVersion ? Number(options.resourceVersion) : 0;
    if (options.resourceVersion && !/^\d+$/.test(options.resourceVersion)) {
      throw new StatusError(
        'BadRequest',
        `invalid resourceVersion "${options.resourceVersion}": must be an integer`,
      );
    }
    if (from > 0 && from < this.compactedAt) {
      throw new StatusError('Gone', `too old resource version: ${from} (${this.compactedAt})`);
    }
    if (from > 0) {
      for (const event of this.history) {
        if (event.resourceVersion <= from || event.resource !== resource) continue;
        if (namespace && event.object.metadata.namespace !== namespace) continue;
        if (match(event.object)) listener(event);
      }
    }
    const watcher: Watcher = { resource, namespace, match, listener };
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  dump(): StoreDump {
    const objects: Record<string, KubeObject[]> = {};
    for (const [resource, table] of this.tables)
      objects[resource] = [...table.values()].map((e) => deepCopy(e.object));
    return { resourceVersion: this.version, objects };
  }

  /**
   * Replace the whole content (state file, reset). Watchers stay; history restarts. `adopt` keeps
   * the dump's objects instead of copies (a twin's state: half the memory, and a reset can load
   * them again, as the store never changes a stored object in place); they are frozen, so a
   * change in place would fail loudly.
   */
  load(dump: StoreDump, options: { adopt?: boolean } = {}): void {
    this.tables.clear();
    this.labelIndex.clear();
    this.history.length = 0;
    this.version = Math.max(this.version, dump.resourceVersion);
    this.compactedAt = this.version;
    for (const [resource, objects] of Object.entries(dump.objects)) {
      this.table(resource); // refuses a resource the sandbox does not serve
      for (const obj of objects)
        this.put(
          resource,
          keyOf(obj.metadata.namespace, obj.metadata.name ?? ''),
          options.adopt ? deepFreeze(obj) : deepCopy(obj),
        );
    }
  }
}
