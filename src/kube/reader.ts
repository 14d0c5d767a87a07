/**
 * Reading and waiting on Kubernetes objects through @kubernetes/client-node, the way a
 * verification step does: get, list, and wait for a condition driven by a watch with a deadline
 * (never a fixed sleep). client-node is loaded on first use (~0.4-1 s of start-up): a watch,
 * or a read with credentials only its plugins apply; plain reads go straight over node:http(s)
 * (src/kube/direct.ts), so a run's reads before its first step load no client-node.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { CodedError } from '../coded-error';
import { currentEntries, type DirectAccess, directAccess } from './direct';
import { KubeApiError, KubeUnreachableError, statusReason } from './errors';
import { type LoadedKubeconfig, loadKubeconfig, toKubeConfig } from './kubeconfig';
import { collectionPath, type ResourceRef } from './resources';
import { followWatch } from './watch';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string | Date;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A wait that ran out of time: says what was awaited and what was last seen. */
export class WaitTimeoutError extends CodedError<'WAIT_TIMEOUT'> {
  readonly code = 'WAIT_TIMEOUT';
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    readonly lastSeen: KubeObject | undefined,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${description}`);
  }
}

export class KubeReader {
  /** One keep-alive agent for every read: client-node makes a new one (a new TLS handshake) per call. */
  private agent: import('node:https').Agent | undefined;
  private kubeConfig: KubeConfig | undefined;
  /** Plain GETs without client-node, when the kubeconfig's credentials allow (undefined: they do not). */
  private readonly direct: DirectAccess | undefined;

  private constructor(
    /** The kubeconfig as loaded (files, context, what kubectl is given). */
    readonly loaded: LoadedKubeconfig,
  ) {
    this.direct = directAccess(loaded);
  }

  /** client-node's KubeConfig, built (and client-node loaded) on first use. */
  get config(): KubeConfig {
    this.kubeConfig ??= toKubeConfig(this.loaded);
    return this.kubeConfig;
  }

  /**
   * From a kubeconfig read as kubectl reads it (src/kube/kubeconfig.ts): `path` (one file or a
   * list), else KUBECONFIG, ~/.kube/config or the pod's service account; optionally another context.
   */
  static fromKubeconfig(
    path?: string,
    context?: string,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): KubeReader {
    const loaded = loadKubeconfig({
      ...(path ? { path } : {}),
      ...(context ? { context } : {}),
      env,
    });
    return new KubeReader(loaded);
  }

  get server(): string {
    const server = currentEntries(this.loaded).cluster?.['server'];
    return typeof server === 'string' ? server : '';
  }

  private readonly observers: ((path: string) => void)[] = [];

  /** Be told the path of every GET this reader sends (discovery included), before it is sent. */
  observe(fn: (path: string) => void): void {
    this.observers.push(fn);
  }

  /** Preferred versions of API groups, read from discovery once per reader (one per run's worker). */
  private readonly preferred = new Map<string, Promise<string | undefined>>();

  /**
   * The resource as this server serves it: a ref with `preferredOf` gets the group's preferred
   * version from discovery (`/apis/{group}`); without a discovery answer it keeps its own.
   */
  async resolve(r: ResourceRef): Promise<ResourceRef> {
    const group = r.preferredOf;
    if (!group) return r;
    let version = this.preferred.get(group);
    if (!version) {
      version = this.fetchJSON(`/apis/${group}`).then(
        ({ status, body }) =>
          status === 200
            ? (body as { preferredVersion?: { version?: string } } | undefined)?.preferredVersion?.version
            : undefined,
        () => undefined,
      );
      this.preferred.set(group, version);
    }
    const found = await version;
    return found ? { ...r, apiVersion: `${group}/${found}` } : r;
  }

  /** GET any API path (discovery documents: `/api/v1`, `/apis`): status and parsed body. */
  getPath(path: string): Promise<{ status: number; body: unknown }> {
    return this.fetchJSON(path);
  }

  private async fetchJSON(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<{ status: number; body: unknown }> {
    for (const fn of this.observers) fn(path);
    if (this.direct) {
      const url = new URL(path, 'http://x');
      for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
      try {
        return await this.direct.get(`${url.pathname}${url.search}`);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!code) throw err;
        throw new KubeUnreachableError(this.direct.server, code, err);
      }
    }
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    // A server with a path (`https://host/clusters/member-1`, a cluster behind KubeSphere's
    // dispatcher) keeps it, as kubectl and client-node's Watch do.
    const url = new URL(`${cluster.server.replace(/\/+$/, '')}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    const init = await this.config.applyToFetchOptions({});
    // Headers are taken fresh each call (tokens may rotate); only a plain https agent is reused.
    const https = require('node:https') as typeof import('node:https');
    if (init.agent instanceof https.Agent && init.agent.constructor === https.Agent) {
      this.agent ??= new https.Agent({ ...init.agent.options, keepAlive: true });
      init.agent = this.agent;
    }
    const fetch = require('node-fetch') as (
      u: string,
      i: unknown,
    ) => Promise<{ status: number; json(): Promise<unknown> }>;
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(url.toString(), { ...init, method: 'GET' });
    } catch (err) {
      const code = (err as { code?: string }).code ?? (err as { errno?: string }).errno ?? 'UNKNOWN';
      throw new KubeUnreachableError(cluster.server, code, err);
    }
    return { status: res.status, body: await res.json() };
  }

  /** The object, or undefined when it does not exist. */
  async get(ref: ResourceRef, name: string, namespace?: string): Promise<KubeObject | undefined> {
    const r = await this.resolve(ref);
    const path = `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
    const { status, body } = await this.fetchJSON(path);
    if (status === 404) return undefined;
    if (status !== 200)
      throw new KubeApiError('GET', path, status, statusReason(body), body, `${r.plural}/${name}`);
    return body as KubeObject;
  }

  async list(
    ref: ResourceRef,
    options: ListOptions = {},
  ): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    const r = await this.resolve(ref);
    const path = collectionPath(r, options.namespace);
    const { status, body } = await this.fetchJSON(path, {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    if (status !== 200) throw new KubeApiError('LIST', path, status, statusReason(body), body, r.plural);
    const list = body as { items: KubeObject[]; metadata: { resourceVersion: string } };
    return { items: list.items, resourceVersion: list.metadata.resourceVersion };
  }

  /**
   * Wait until `holds(items)` is true for a list (events of an object, nodes with a label),
   * reading once and then following a watch on the collection from that read's version.
   */
  async waitForList(
    ref: ResourceRef,
    holds: (items: KubeObject[]) => boolean,
    options: ListOptions & { timeoutMs?: number; description?: string } = {},
  ): Promise<KubeObject[]> {
    const r = await this.resolve(ref);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const description = options.description ?? `${r.plural} matching the condition`;
    const first = await this.list(r, options);
    const byKey = new Map(first.items.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
    const current = () => [...byKey.values()];
    if (holds(current())) return current();
    const timeout = () => new WaitTimeoutError(description, timeoutMs, undefined);
    const query: Record<string, string | boolean> = { resourceVersion: first.resourceVersion };
    if (options.labelSelector) query['labelSelector'] = options.labelSelector;
    if (options.fieldSelector) query['fieldSelector'] = options.fieldSelector;
    return followWatch<KubeObject[], KubeObject>(this.config, {
      path: collectionPath(r, options.namespace),
      query,
      timeoutMs,
      timeout,
      onEvent: (type, obj) => {
        if (type === 'ERROR' || type === 'BOOKMARK') return undefined;
        const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
        if (type === 'DELETED') byKey.delete(key);
        else byKey.set(key, obj);
        return holds(current()) ? { value: current() } : undefined;
      },
      onClosed: async () => {
        const again = await this.list(r, options);
        if (holds(again.items)) return again.items;
        throw timeout();
      },
    });
  }

  /**
   * Wait until `holds(object)` is true for the named object (undefined = absent), reading once
   * and then following a watch from that read's version, so no change is missed between them.
   */
  async waitFor(
    ref: ResourceRef,
    name: string,
    holds: (obj: KubeObject | undefined) => boolean,
    options: { namespace?: string; timeoutMs?: number; description?: string; signal?: AbortSignal } = {},
  ): Promise<KubeObject | undefined> {
    const r = await this.resolve(ref);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const description = options.description ?? `${r.kind} ${name}`;
    const fieldSelector = `metadata.name=${name}`;
    const first = await this.list(r, { namespace: options.namespace, fieldSelector });
    let last = first.items[0];
    if (holds(last)) return last;
    return followWatch<KubeObject | undefined, KubeObject>(this.config, {
      path: collectionPath(r, options.namespace),
      query: { fieldSelector, resourceVersion: first.resourceVersion, allowWatchBookmarks: false },
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      timeout: () => new WaitTimeoutError(description, timeoutMs, last),
      onEvent: (type, obj) => {
        if (type === 'ERROR') return undefined;
        last = type === 'DELETED' ? undefined : obj;
        return holds(last) ? { value: last } : undefined;
      },
      onClosed: async () => {
        last = await this.get(r, name, options.namespace);
        if (holds(last)) return last;
        throw new WaitTimeoutError(`${description} (watch closed early)`, timeoutMs, last);
      },
    });
  }
}
