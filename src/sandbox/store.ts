/**
 * One object store for every kind (after client-go's object tracker).
 *
 * - One resourceVersion counter, bumped on every write; every object carries the version of its
 *   last write, and watch events are numbered by it.
 * - Objects are stored immutable: writes replace them, reads hand out deep copies (`get`, `list`)
 *   or a cached JSON rendering (`getJSON`, `listJSON`) for the HTTP hot path.
 * - Create and update go through one private `write`; watchers are notified from one place.
 * - Watch resumes from a resourceVersion within the last `historySize` events; older -> 410 Gone.
 * - Delete honours finalizers: an object with finalizers gets deletionTimestamp and stays until an
 *   update empties them.
 * Limits: no garbage collection of owned objects, no namespace cascade, no chunked lists.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { apiVersionOf, kindByResource, type ResourceKind } from './kinds';
import { deepCopy, type KubeObject } from './object';
import { type Matcher, selectorMatcher } from './selectors';
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

interface Entry {
  object: KubeObject;
  json?: string;
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

const keyOf = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

export class ObjectStore {
  private readonly tables = new Map<string, Map<string, Entry>>();
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

  private select(resource: string, options: ListOptions): Entry[] {
    const kind = kindByResource(resource);
    const match = selectorMatcher(options.labelSelector, options.fieldSelector);
    const out: Entry[] = [];
    const namespace = kind.namespaced ? options.namespace : undefined;
    for (const entry of this.table(resource).values()) {
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
    meta.generation = 1;
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
    meta.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
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
    this.table(kind.resource).delete(keyOf(obj.metadata.namespace, obj.metadata.name ?? ''));
    this.emit({ type: 'DELETED', resource: kind.resource, object: obj, resourceVersion: this.version });
    return deepCopy(obj);
  }

  private write(kind: ResourceKind, obj: KubeObject, type: WatchEventType): KubeObject {
    this.version++;
    obj.metadata.resourceVersion = String(this.version);
    this.table(kind.resource).set(keyOf(obj.metadata.namespace, obj.metadata.name ?? ''), { object: obj });
    this.emit({ type, resource: kind.resource, object: obj, resourceVersion: this.version });
    return deepCopy(obj);
  }

  private validate(kind: ResourceKind, obj: KubeObject): void {
    const meta = obj.metadata;
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
    const match = selectorMatcher(options.labelSelector, options.fieldSelector);
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

  /** Replace the whole content (state file, reset). Watchers stay; history restarts. */
  load(dump: StoreDump): void {
    this.tables.clear();
    this.history.length = 0;
    this.version = Math.max(this.version, dump.resourceVersion);
    this.compactedAt = this.version;
    for (const [resource, objects] of Object.entries(dump.objects)) {
      const table = this.table(resource);
      for (const obj of objects)
        table.set(keyOf(obj.metadata.namespace, obj.metadata.name ?? ''), { object: deepCopy(obj) });
    }
  }
}
