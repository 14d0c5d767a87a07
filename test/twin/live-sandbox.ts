/**
 * The "live environment" of the twin tests: a standalone `nodegroup-sandbox` process (its own
 * store, reached only over HTTP), and a recording proxy in front of it that every request of the
 * import passes (KAPI and Kubernetes API alike), which can also refuse chosen paths.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { TwinTarget } from '../../src/twin/target';
import { startSandboxProcess } from '../standalone-sandbox-process';

export interface Standalone {
  url: string;
  env: Record<string, string>;
  /** The admin token of the sandbox's kubeconfig. */
  token: string;
  stop(): Promise<void>;
}

/** Start `nodegroup-sandbox --env-file DIR/sandbox.env` and wait for its ready line (or its early exit). */
export async function startStandalone(dir: string, args: string[] = []): Promise<Standalone> {
  const sandbox = await startSandboxProcess(join(dir, 'sandbox.env'), args);
  const kubeconfig = parse(readFileSync(sandbox.exports['KUBECONFIG']!, 'utf8')) as {
    users: { user: { token: string } }[];
  };
  return {
    url: sandbox.url,
    env: sandbox.exports,
    token: kubeconfig.users[0]!.user.token,
    stop: () => sandbox.stop(),
  };
}

export interface Recorded {
  method: string;
  path: string;
  status: number;
}

export interface RecordingProxy {
  url: string;
  requests: Recorded[];
  /** Answer `status` (a Kubernetes Status) to requests whose path matches, instead of forwarding. */
  refuse(pattern: RegExp, status: number): void;
  close(): Promise<void>;
}

export async function startProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const requests: Recorded[] = [];
  const refusals: { pattern: RegExp; status: number }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const refusal = refusals.find((r) => r.pattern.test(path.split('?')[0]!));
    if (refusal) {
      requests.push({ method: req.method ?? '', path, status: refusal.status });
      res.writeHead(refusal.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Forbidden',
          code: refusal.status,
          message: `user "admin" cannot list resource at ${path.split('?')[0]}`,
        }),
      );
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path, headers: req.headers },
      (upstreamRes) => {
        requests.push({ method: req.method ?? '', path, status: upstreamRes.statusCode ?? 0 });
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    refuse: (pattern, status) => refusals.push({ pattern, status }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The import's target through the proxy: ks-apiserver's http listener serves the Kubernetes API
 * as well, so a kubeconfig pointing at the proxy (the sandbox's token, no CA) sends both APIs there.
 */
export function proxiedTarget(live: Standalone, proxy: RecordingProxy, dir: string): TwinTarget {
  const kubeconfig = join(dir, 'proxied.kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless TLS verification is off (there is no TLS to verify)
      clusters: [{ name: 'live', cluster: { server: proxy.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token: live.token } }],
      contexts: [{ name: 'live', context: { cluster: 'live', user: 'admin' } }],
      'current-context': 'live',
    }),
    { mode: 0o600 },
  );
  return {
    host: proxy.url,
    kubeconfig,
    credentials: { username: live.env['KUBESPHERE_USERNAME']!, password: live.env['KUBESPHERE_PASSWORD']! },
  };
}

/** A direct target (no proxy): the sandbox's own env file, as `npm run twin` reads it. */
export const directTarget = (live: Standalone): TwinTarget => ({
  host: live.url,
  kubeconfig: live.env['KUBECONFIG']!,
  credentials: { username: live.env['KUBESPHERE_USERNAME']!, password: live.env['KUBESPHERE_PASSWORD']! },
});
