/**
 * A tiny HTTP server over one store with the fixture, the nodegroup controller, the KAPI and the
 * fault control routes, rendering errors as the sandbox router does (text/plain on /kapis, Status
 * elsewhere). Shared by kapi, controller and faults tests; `x-readonly: 1` makes the caller read-only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { NodegroupController } from '../../src/sandbox/controller/controller';
import { createControl } from '../../src/sandbox/faults/control';
import { Faults } from '../../src/sandbox/faults/registry';
import { type RequestContext, sendStatus, sendText } from '../../src/sandbox/http/http';
import { createKapi } from '../../src/sandbox/kubesphere/kapi';
import { loadFixture } from '../../src/sandbox/server/fixture';
import type { KubeObject } from '../../src/sandbox/store/object';
import { StatusError } from '../../src/sandbox/store/status';
import { ObjectStore } from '../../src/sandbox/store/store';

export interface Reply {
  status: number;
  type: string;
  text: string;
  json<T = KubeObject>(): T;
}

export interface Harness {
  url: string;
  store: ObjectStore;
  faults: Faults;
  controller: NodegroupController;
  expiredTokens: number;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** Start a harness; `into` (when given) is filled in and returned, so it can be handed out before the start. */
export async function startHarness(into = {} as Harness): Promise<Harness> {
  const store = new ObjectStore();
  loadFixture(store);
  const harness = Object.assign(into, { expiredTokens: 0 });
  const faults = new Faults({ store, expireTokens: () => harness.expiredTokens++ });
  const controller = new NodegroupController({ store, faults });
  controller.start();
  const kapi = createKapi({ store });
  const reset = () => {
    store.load({ resourceVersion: 0, objects: {} });
    loadFixture(store);
    controller.resync();
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      listener: 'ks-apiserver',
      user: { name: 'admin', readOnly: req.headers['x-readonly'] === '1' },
    };
    const control = ctx.path.startsWith('/sandbox/v1/');
    try {
      if (control) return await createControl(faults, { reset })(ctx);
      if (await faults.intercept(ctx)) return;
      await kapi(ctx);
    } catch (err) {
      const status = err instanceof StatusError ? err : new StatusError('InternalError', String(err));
      if (control) sendStatus(res, status);
      else sendText(res, status.code, status.message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(harness, {
    url,
    store,
    faults,
    controller,
    async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, init);
      const text = await res.text();
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        text,
        json: <T>() => JSON.parse(text) as T,
      };
    },
    async close() {
      controller.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/**
 * One harness for the calling test file: started before its tests (then `setup` runs), closed
 * after them. The object is returned at once and usable from the first test on.
 */
export function useHarness(setup?: (h: Harness) => Promise<unknown>): Harness {
  const h = {} as Harness;
  before(async () => {
    await startHarness(h);
    await setup?.(h);
  });
  after(() => h.close());
  return h;
}

/** Poll `check` until it returns a truthy value or the deadline passes (then throw, naming `what`). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000, // generous: the machine may be loaded; a pass returns as soon as the check holds
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const KAPI = '/kapis/infra.kubesphere.io/v1alpha1';

/** Labels / annotations of a stored object (empty when absent). */
export const labelsOf = (store: ObjectStore, resource: string, name: string, namespace?: string) =>
  store.has(resource, namespace, name) ? (store.get(resource, namespace, name).metadata.labels ?? {}) : {};
export const annotationsOf = (store: ObjectStore, resource: string, name: string, namespace?: string) =>
  store.has(resource, namespace, name)
    ? (store.get(resource, namespace, name).metadata.annotations ?? {})
    : {};

/** Events about one object (in the store), as `kubectl get events --field-selector involvedObject.name=` would show. */
export function eventsFor(
  store: ObjectStore,
  name: string,
): { reason: string; type: string; message: string; count: number }[] {
  return store
    .list('events')
    .items.filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => ({
      reason: e.reason as string,
      type: e.type as string,
      message: e.message as string,
      count: e.count as number,
    }));
}
