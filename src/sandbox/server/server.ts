/**
 * The sandbox's two listeners and the one router behind them, as in a real installation:
 * ks-apiserver (http) serves OAuth, the KAPI, the sandbox's control routes and proxies /api and
 * /apis; kube-apiserver (https) serves /version, /api and /apis. Handlers throw StatusError; this
 * is the one place errors become responses, so a bad request never crashes the sandbox.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HOST_CLUSTER, KUBERNETES_VERSION, KUBESPHERE_VERSION } from '../../constants';
import type { Faults } from '../faults/registry';
import { type Listener, type RequestContext, sendJSON, sendStatus, sendText } from '../http/http';
import type { Authenticator } from '../kubesphere/oauth';
import { accessTarget } from '../kubesphere/request-info';
import { answerUserInfo, USERINFO_PATH } from '../kubesphere/userinfo';
import { badRequest, StatusError } from '../store/status';

export type Handler = (ctx: RequestContext) => Promise<void>;

export interface RouterDeps {
  auth: Authenticator;
  faults: Faults;
  kube: Handler;
  kapi: Handler;
  control: Handler;
  /** Member clusters behind the host, and KubeSphere's cluster list (absent: the host alone). */
  clusters?: ClusterDispatch;
}

/** What the router needs of the member clusters (src/sandbox/members/ provides it). */
export interface ClusterDispatch {
  member(name: string): { kube: Handler; kapi: Handler } | undefined;
  isListPath(path: string): boolean;
  list: Handler;
}

export const kubernetesVersion = () => ({
  major: KUBERNETES_VERSION.major,
  minor: KUBERNETES_VERSION.minor,
  gitVersion: KUBERNETES_VERSION.gitVersion,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:48Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
});

type Area = 'public' | 'kube' | 'kapi' | 'control' | 'oauth' | 'userinfo' | 'unknown';

function areaOf(path: string, listener: Listener): Area {
  if (
    path === '/version' ||
    path === '/version/' ||
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/livez'
  )
    return 'public';
  if (path === '/api' || path.startsWith('/api/') || path === '/apis' || path.startsWith('/apis/'))
    return 'kube';
  if (path.startsWith('/openapi/')) return 'kube';
  if (listener === 'kube-apiserver') return 'unknown';
  if (path === '/oauth/token') return 'oauth';
  if (path === USERINFO_PATH) return 'userinfo';
  if (path === '/kapis/version') return 'public';
  if (path.startsWith('/kapis/') || path.startsWith('/clusters/')) return 'kapi';
  if (path.startsWith('/sandbox/v1/')) return 'control';
  return 'unknown';
}

/**
 * KubeSphere 4's cluster dispatcher: `/clusters/{cluster}/{path}` on ks-apiserver serves `{path}`
 * of that cluster. Kube paths (`/api`, `/apis`, `/version`) are resolved here and served by the
 * kube REST layer; `/clusters/{c}/kapis/...` stays with the KAPI handler, which checks the cluster
 * itself (it also serves KubeSphere 3's `/kapis/clusters/{c}/...`).
 */
const CLUSTER_KUBE_PATH = /^\/clusters\/([^/]+)(\/(?:api|apis|version)(?:\/.*)?)$/;

function clusterKubePath(path: string, listener: Listener): { cluster: string; path: string } | undefined {
  if (listener !== 'ks-apiserver') return undefined;
  const match = CLUSTER_KUBE_PATH.exec(path);
  return match ? { cluster: match[1]!, path: match[2]! } : undefined;
}

/** A path the host dispatches to a cluster: `{c}` and the path inside it, KAPI or Kubernetes. */
function clusterTarget(path: string): { cluster: string; path: string; area: 'kapi' | 'kube' } | undefined {
  const ks3 = /^\/kapis\/clusters\/([^/]+)(\/.*)?$/.exec(path);
  if (ks3) return { cluster: ks3[1]!, path: `/kapis${ks3[2] ?? ''}`, area: 'kapi' };
  const ks4 = /^\/clusters\/([^/]+)(\/kapis\/.*)$/.exec(path);
  if (ks4) return { cluster: ks4[1]!, path: ks4[2]!, area: 'kapi' };
  const kube = CLUSTER_KUBE_PATH.exec(path);
  if (kube) return { cluster: kube[1]!, path: kube[2]!, area: 'kube' };
  return undefined;
}

/**
 * A request for a member cluster: authenticated and authorized on the host, faults asked with the
 * path as sent (so a fault can cut one member off), then served by that member's handlers.
 */
async function serveMember(
  deps: RouterDeps,
  ctx: RequestContext,
  target: { path: string; area: 'kapi' | 'kube' },
  member: { kube: Handler; kapi: Handler },
): Promise<void> {
  try {
    ctx.user = deps.auth.authenticate(ctx);
    deps.auth.authorizeRequest(ctx.user, ctx.method, accessTarget(ctx.path), ctx.query);
    if (await deps.faults.intercept(ctx)) return;
    ctx.path = target.path;
    if (ctx.path === '/version' || ctx.path === '/version/') return answerPublic(ctx);
    return await (target.area === 'kube' ? member.kube(ctx) : member.kapi(ctx));
  } catch (err) {
    renderError(ctx, target.area, err);
  }
}

function answerPublic(ctx: RequestContext): void {
  if (ctx.path === '/version' || ctx.path === '/version/') sendJSON(ctx.res, 200, kubernetesVersion());
  else if (ctx.path === '/kapis/version') {
    sendJSON(ctx.res, 200, { gitVersion: KUBESPHERE_VERSION, kubernetes: kubernetesVersion() });
  } else sendText(ctx.res, 200, 'ok');
}

/** How an error reads on each area: KAPI handlers answer text/plain, everything else a Status. */
function renderError(ctx: RequestContext, area: Area, err: unknown): void {
  // Headers already out, or the client went away mid-request (its body read fails 'aborted'):
  // nobody is left to read an answer, and it is not the sandbox's fault. (Node destroys a request
  // whose body was read to the end too: only an incomplete one means the client left.)
  if (ctx.res.headersSent || (ctx.req.destroyed && !ctx.req.complete)) {
    ctx.res.destroy();
    return;
  }
  if (!(err instanceof StatusError)) {
    // A bug in the sandbox: answer 500 and keep serving; the message names the cause, no stack.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sandbox: internal error on ${ctx.method} ${ctx.path}: ${message}\n`);
    err = new StatusError('InternalError', `Internal error occurred: ${message}`);
  }
  const status = err as StatusError;
  if (area === 'kapi' && status.code !== 401 && status.code !== 403)
    sendText(ctx.res, status.code, status.message);
  else sendStatus(ctx.res, status);
}

/**
 * The request target, parsed the way an apiserver does: an origin-form path (`/...`) with an
 * optional query. `//host:99999/`, `//%zz`, `//x%00y` are paths here, never authorities; anything
 * else (`*`, an absolute URL) is a 400.
 */
export function parseTarget(raw: string | undefined): { path: string; query: URLSearchParams } {
  const target = raw ?? '/';
  if (!target.startsWith('/'))
    throw badRequest(
      `the request target must be a path starting with "/", got ${JSON.stringify(target.slice(0, 80))}`,
    );
  const q = target.indexOf('?');
  const rawPath = q === -1 ? target : target.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath; // an invalid escape (`%zz`) is kept as sent: no route has it, so it is a 404
  }
  if (path.includes('\0')) throw badRequest('the request path contains a NUL character (%00)');
  return { path, query: new URLSearchParams(q === -1 ? '' : target.slice(q + 1)) };
}

/** A bug in a handler must never stop the server: answer 500 (or drop a half-sent answer). */
function lastResort(res: ServerResponse, err: unknown): void {
  process.stderr.write(`sandbox: unhandled error: ${err instanceof Error ? err.message : String(err)}\n`);
  if (res.headersSent) res.destroy();
  else sendStatus(res, new StatusError('InternalError', 'Internal error occurred'));
}

export function createRouter(deps: RouterDeps, listener: Listener) {
  const route = routeRequest(deps, listener);
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((err) => lastResort(res, err));
  };
}

function routeRequest(deps: RouterDeps, listener: Listener) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let parsed: { path: string; query: URLSearchParams };
    try {
      parsed = parseTarget(req.url);
    } catch (err) {
      if (err instanceof StatusError) sendStatus(res, err);
      else throw err;
      return;
    }
    const { path } = parsed;
    // Members are reached through ks-apiserver; kube-apiserver also serves their Kubernetes paths,
    // so kubectl (which sends no token over plain http) can reach a member over TLS.
    const target = clusterTarget(path);
    const toCluster = listener === 'ks-apiserver' || target?.area === 'kube' ? target : undefined;
    const member = toCluster && deps.clusters?.member(toCluster.cluster);
    if (toCluster && member) {
      const ctx: RequestContext = {
        req,
        res,
        method: req.method ?? 'GET',
        path,
        query: parsed.query,
        listener,
      };
      return serveMember(deps, ctx, toCluster, member);
    }
    const dispatched = clusterKubePath(path, listener);
    const ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      path: dispatched?.path ?? path,
      query: parsed.query,
      listener,
    };
    const area = areaOf(ctx.path, listener);
    try {
      if (dispatched) {
        // KubeSphere authenticates before it dispatches, so an unknown cluster needs a valid token too.
        ctx.user = deps.auth.authenticate(ctx);
        if (dispatched.cluster !== HOST_CLUSTER) throw badRequest(`cluster ${dispatched.cluster} not exists`);
      }
      if (area === 'public') return answerPublic(ctx);
      if (area === 'oauth') return await deps.auth.handleOAuth(ctx);
      if (area === 'userinfo') return answerUserInfo(ctx, ctx.user ?? deps.auth.authenticate(ctx));
      if (area === 'unknown') {
        if (listener === 'kube-apiserver')
          throw new StatusError('NotFound', 'the server could not find the requested resource');
        return sendText(res, 404, '404: Page Not Found');
      }
      ctx.user ??= deps.auth.authenticate(ctx);
      deps.auth.authorizeRequest(ctx.user, ctx.method, accessTarget(ctx.path), ctx.query);
      if (await deps.faults.intercept(ctx)) return;
      if (area === 'kube' && deps.clusters?.isListPath(ctx.path)) return await deps.clusters.list(ctx);
      if (area === 'kube') return await deps.kube(ctx);
      if (area === 'kapi') return await deps.kapi(ctx);
      return await deps.control(ctx);
    } catch (err) {
      renderError(ctx, area, err);
    }
  };
}

export interface Listeners {
  ks: Server;
  kube: Server;
  url: string;
  kubeUrl: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on 127.0.0.1 is already in use: stop what holds it or choose another port (0 lets the OS choose)`,
            )
          : err,
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections(); // watch streams would otherwise hold the close open
  });
}

export async function startListeners(
  deps: RouterDeps,
  tls: { certPem: string; keyPem: string },
  ports: { port?: number; kubePort?: number },
): Promise<Listeners> {
  const ks = createServer({ keepAliveTimeout: 30_000 }, createRouter(deps, 'ks-apiserver'));
  const kube = createHttpsServer(
    { cert: tls.certPem, key: tls.keyPem, keepAliveTimeout: 30_000 },
    createRouter(deps, 'kube-apiserver'),
  );
  const close = async () => {
    await Promise.all([closeServer(ks), closeServer(kube)]);
  };
  try {
    const ksPort = await listen(ks, ports.port ?? 0);
    const kubePort = await listen(kube, ports.kubePort ?? 0);
    return { ks, kube, url: `http://127.0.0.1:${ksPort}`, kubeUrl: `https://127.0.0.1:${kubePort}`, close };
  } catch (err) {
    await close();
    throw err;
  }
}
