/**
 * The Kubernetes reads fail with coded errors (status, reason, body, or the socket error as cause),
 * and the diagnosis decides by code: a kind the server does not serve (LIST 404) reads as empty.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubeReaderSource } from '../../src/diagnose/sources';
import { KubeApiError, KubeUnreachableError } from '../../src/kube/errors';
import { KubeReader } from '../../src/kube/reader';
import { RESOURCES } from '../../src/kube/resources';

const status = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  code,
  reason,
  message,
});

let server: Server;
let dir: string;
const kubeconfig = (url: string) => {
  const file = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "' + url + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n'),
  );
  return file;
};
let reader: KubeReader;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-errors-'));
  server = createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url?.startsWith('/apis/network.kubesphere.io/v1alpha1/ippools'))
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if (req.url?.startsWith('/api/v1/nodes/secret-node'))
      return send(403, status(403, 'Forbidden', 'nodes "secret-node" is forbidden'));
    if (req.url?.startsWith('/api/v1/namespaces'))
      return send(500, status(500, 'InternalError', 'etcd is down'));
    return send(404, status(404, 'NotFound', 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  reader = KubeReader.fromKubeconfig(
    kubeconfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
  );
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('Kubernetes read errors', () => {
  test('a refused GET is a KubeApiError with status, reason and body', async () => {
    await assert.rejects(reader.get(RESOURCES.node, 'secret-node'), (err: unknown) => {
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.code, 'KUBE_API_ERROR');
      assert.deepEqual(
        [err.verb, err.path, err.status, err.reason],
        ['GET', '/api/v1/nodes/secret-node', 403, 'Forbidden'],
      );
      assert.equal((err.body as { message: string }).message, 'nodes "secret-node" is forbidden');
      assert.equal(err.message, 'GET nodes/secret-node: 403 nodes "secret-node" is forbidden');
      return true;
    });
    assert.equal(await reader.get(RESOURCES.node, 'absent'), undefined, 'a GET 404 is "absent"');
  });

  test('the diagnosis reads a kind the server does not serve as empty, and fails on any other error', async () => {
    const source = kubeReaderSource(reader);
    assert.deepEqual(await source.list(RESOURCES.ippool), []);
    await assert.rejects(
      source.list(RESOURCES.namespace),
      (err: unknown) => err instanceof KubeApiError && err.status === 500,
    );
  });

  test('an unreachable server is a KubeUnreachableError with the socket error as cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = KubeReader.fromKubeconfig(kubeconfig(`http://127.0.0.1:${port}`));
    await assert.rejects(gone.list(RESOURCES.node), (err: unknown) => {
      assert.ok(err instanceof KubeUnreachableError);
      assert.equal(err.causeCode, 'ECONNREFUSED');
      assert.ok(err.cause instanceof Error);
      return true;
    });
  });
});
