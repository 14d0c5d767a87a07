/**
 * Faults switched on and off at run time through the sandbox's own API, each visible the way an
 * operator would see it on a real cluster. The controller consults the state through the getters
 * and `onChange`; the router calls `intercept` before dispatching ks-apiserver routes.
 *
 * Control API (admin only): GET /sandbox/v1/faults, PUT|DELETE /sandbox/v1/faults/{name},
 * POST /sandbox/v1/reset.
 */
import { STATUS_CODES } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { setControllerReady } from './controller-pod';
import {
  FAULT_NAMES,
  type FaultName,
  type FaultOptions,
  isFaultName,
  parseFaultOptions,
  routeMatches,
} from './fault-options';
import { type RequestContext, readObjectBody, sendJSON, sendText } from './http';
import { StatusError } from './status';
import type { ObjectStore } from './store';

export interface ActiveFault<N extends FaultName = FaultName> {
  name: N;
  options: FaultOptions[N];
  /** When it was switched on (ISO time). */
  since: string;
  /** kapi-errors with a count: answers left before it switches itself off. */
  remaining?: number;
}

const CONTROL_PREFIX = '/sandbox/v1/';
const FAULT_PATH = /^\/sandbox\/v1\/faults\/([^/]+)$/;

export class Faults {
  private readonly active = new Map<FaultName, ActiveFault>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: { store?: ObjectStore; expireTokens?: () => void } = {}) {}

  get controllerPaused(): boolean {
    return this.active.has('controller-paused');
  }

  get ippoolSyncFailing(): boolean {
    return this.active.has('ippool-sync');
  }

  finalizerStuck(nodegroup: string): boolean {
    const fault = this.active.get('stuck-finalizer') as ActiveFault<'stuck-finalizer'> | undefined;
    return fault?.options.nodegroup === nodegroup;
  }

  /** Called after every change of the fault set; returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): ActiveFault[] {
    return [...this.active.values()].map((f) => structuredClone(f));
  }

  /** Switch a fault on (or replace its options). Throws 404 for an unknown name, 400 for bad options. */
  set(name: string, body: unknown): ActiveFault {
    if (!isFaultName(name)) {
      throw new StatusError('NotFound', `unknown fault "${name}": the faults are ${FAULT_NAMES.join(', ')}`);
    }
    const options = parseFaultOptions(name, body);
    const fault: ActiveFault = { name, options, since: new Date().toISOString() };
    const count = (options as { count?: number }).count;
    if (count !== undefined) fault.remaining = count;
    if (name === 'token-expiry') this.deps.expireTokens?.();
    this.active.set(name, fault);
    this.changed(name);
    return structuredClone(fault);
  }

  /** Switch a fault off; false when it was not on. */
  remove(name: string): boolean {
    if (!isFaultName(name)) {
      throw new StatusError('NotFound', `unknown fault "${name}": the faults are ${FAULT_NAMES.join(', ')}`);
    }
    const was = this.active.delete(name);
    if (was) this.changed(name);
    return was;
  }

  /** Every fault off (reset). */
  clear(): void {
    const names = [...this.active.keys()];
    this.active.clear();
    for (const name of names) this.changed(name);
  }

  private changed(name: FaultName): void {
    if (name === 'controller-paused' && this.deps.store)
      setControllerReady(this.deps.store, !this.controllerPaused);
    for (const listener of this.listeners) listener();
  }

  /** Before a ks-apiserver route runs: answer an injected error (true) or add latency (false). */
  async intercept(ctx: RequestContext): Promise<boolean> {
    if (ctx.path.startsWith(CONTROL_PREFIX)) return false; // the control API must stay reachable
    const latency = this.active.get('latency') as ActiveFault<'latency'> | undefined;
    if (latency && routeMatches(latency.options, ctx.method, ctx.path)) await delay(latency.options.ms);
    const errors = this.active.get('kapi-errors') as ActiveFault<'kapi-errors'> | undefined;
    if (!errors || !routeMatches(errors.options, ctx.method, ctx.path)) return false;
    if (errors.remaining !== undefined && --errors.remaining <= 0) this.remove('kapi-errors');
    answerInjectedError(ctx, errors.options.status);
    return true;
  }

  async handleControl(ctx: RequestContext, deps: { reset(): void }): Promise<void> {
    if (!ctx.user || ctx.user.readOnly) {
      throw new StatusError(
        'Forbidden',
        `user "${ctx.user?.name ?? 'system:anonymous'}" cannot change the sandbox: the fault and reset API needs the admin user`,
      );
    }
    const { method, path } = ctx;
    if (path === '/sandbox/v1/faults') {
      if (method !== 'GET') throw notAllowed(method, path, 'GET');
      return sendJSON(ctx.res, 200, { faults: this.list(), available: FAULT_NAMES });
    }
    if (path === '/sandbox/v1/reset') {
      if (method !== 'POST') throw notAllowed(method, path, 'POST');
      this.clear();
      deps.reset();
      return sendJSON(ctx.res, 200, { reset: true, faults: [] });
    }
    const match = FAULT_PATH.exec(path);
    if (!match) throw new StatusError('NotFound', `the sandbox has no control route ${path}`);
    const name = match[1]!;
    if (method === 'PUT') {
      const body = await readOptionalBody(ctx);
      return sendJSON(ctx.res, 200, this.set(name, body));
    }
    if (method === 'DELETE') return sendJSON(ctx.res, 200, { name, removed: this.remove(name) });
    throw notAllowed(method, path, 'PUT, DELETE');
  }
}

const notAllowed = (method: string, path: string, allowed: string) =>
  new StatusError('MethodNotAllowed', `method ${method} is not allowed on ${path} (allowed: ${allowed})`);

async function readOptionalBody(ctx: RequestContext): Promise<unknown> {
  const declared = ctx.req.headers['content-length'];
  if (declared === '0' || (declared === undefined && !ctx.req.headers['transfer-encoding'])) return {};
  try {
    return await readObjectBody(ctx.req, ['application/json']);
  } catch (err) {
    if (err instanceof StatusError && /empty/.test(err.message)) return {};
    throw err;
  }
}

const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The error a failing backend shows: text/plain on KAPI routes (as ks-apiserver), a Status elsewhere. */
function answerInjectedError(ctx: RequestContext, status: number): void {
  const text = `${status} ${STATUS_CODES[status] ?? 'Error'}: the server is currently unable to handle the request`;
  if (ctx.path.startsWith('/kapis/') || ctx.path.startsWith('/clusters/')) {
    sendText(ctx.res, status, text);
    return;
  }
  sendJSON(ctx.res, status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: text,
    reason: STATUS_REASONS[status] ?? (status >= 500 ? 'InternalError' : 'BadRequest'),
    code: status,
  });
}
