import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KapiClient } from '../../src/kapi/client';
import { ConnectionError, HttpError, parseServerError, TimeoutError } from '../../src/kapi/errors';
import type { HttpExchange } from '../../src/kapi/exchange';
import { listNodeGroups, nodegroupRequests } from '../../src/kapi/nodegroups';
import { retryAfterMs, type TransportEvent } from '../../src/kapi/transport';
import { sendJson, startServer } from '../cli-helpers';

const client = (host: string, extra: Partial<ConstructorParameters<typeof KapiClient>[0]> = {}) =>
  new KapiClient({ host, token: 't0', backoffMs: 5, timeoutMs: 2000, ...extra });

describe('server error shapes', () => {
  it('reads Kubernetes Status, OAuth and text/plain errors', () => {
    const status = JSON.stringify({
      kind: 'Status',
      message: 'nodegroups.infra.kubesphere.io "x" already exists',
      reason: 'AlreadyExists',
      code: 409,
    });
    assert.deepEqual(parseServerError('application/json', status), {
      message: 'nodegroups.infra.kubesphere.io "x" already exists',
      form: 'status',
      reason: 'AlreadyExists',
    });
    const oauth = JSON.stringify({
      error: 'invalid_grant',
      error_description: 'incorrect username or password',
    });
    assert.deepEqual(parseServerError('application/json', oauth), {
      message: 'invalid_grant: incorrect username or password',
      form: 'oauth',
      reason: 'invalid_grant',
    });
    assert.deepEqual(parseServerError('text/plain; charset=utf-8', '404: Page Not Found\n'), {
      message: '404: Page Not Found',
      form: 'text',
    });
    assert.equal(parseServerError('', '').form, 'empty');
  });

  it('a text/plain KAPI error becomes an HttpError with method, path, status and message', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('nodegroups.infra.kubesphere.io "ghost" not found');
    });
    const kapi = client(server.url);
    try {
      const err = await kapi.call(nodegroupRequests.get('ghost')).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof HttpError);
      assert.equal(err.code, 'KAPI_HTTP_ERROR');
      assert.equal(err.method, 'GET');
      assert.equal(err.path, '/kapis/infra.kubesphere.io/v1alpha1/nodegroups/ghost');
      assert.equal(err.status, 404);
      assert.equal(err.form, 'text');
      assert.equal(err.serverMessage, 'nodegroups.infra.kubesphere.io "ghost" not found');
      assert.equal(server.requests.length, 1, 'a 404 is not retried');
    } finally {
      await kapi.close();
      await server.close();
    }
  });
});

describe('retries', () => {
  it('retries a GET after 503 and 502, then succeeds', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      n++;
      if (n === 1) return sendJson(res, 503, { kind: 'Status', message: 'down', code: 503 });
      if (n === 2) return sendJson(res, 502, {});
      sendJson(res, 200, { items: [], totalItems: 0 });
    });
    const events: TransportEvent[] = [];
    const kapi = client(server.url, { onEvent: (e) => events.push(e) });
    try {
      assert.deepEqual(await listNodeGroups(kapi), { items: [], totalItems: 0 });
      assert.equal(server.requests.length, 3);
      assert.deepEqual(
        events.filter((e) => e.kind === 'retry').map((e) => (e.kind === 'retry' ? e.reason : '')),
        ['503', '502'],
      );
    } finally {
      await kapi.close();
      await server.close();
    }
  });

  it('retries a 504, never a 500 (the server may have acted on it)', async () => {
    const statuses = [504, 500];
    const server = await startServer((_req, res) => {
      const status = statuses.shift() ?? 200;
      sendJson(res, status, { kind: 'Status', message: `status ${status}`, code: status });
    });
    const kapi = client(server.url);
    try {
      await assert.rejects(listNodeGroups(kapi), (err: unknown) => {
        assert.ok(err instanceof HttpError);
        assert.equal(err.status, 500);
        return true;
      });
      assert.equal(server.requests.length, 2, 'the 504 was retried once, the 500 not at all');
    } finally {
      await kapi.close();
      await server.close();
    }
  });

  it('never retries a POST, even on 503', async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 503, { kind: 'Status', message: 'busy', code: 503 }),
    );
    const kapi = client(server.url);
    try {
      await assert.rejects(kapi.call(nodegroupRequests.bind('node', 'g1', 'n1')), (err: unknown) => {
        assert.ok(err instanceof HttpError);
        assert.equal(err.status, 503);
        return true;
      });
      assert.equal(server.requests.length, 1);
    } finally {
      await kapi.close();
      await server.close();
    }
  });

  it('honours Retry-After on 429, and gives up at once when it is too long', async () => {
    let n = 0;
    const server = await startServer((req, res) => {
      n++;
      if (req.url!.includes('long')) return sendJson(res, 429, {}, { 'retry-after': '3600' });
      if (n === 1) return sendJson(res, 429, {}, { 'retry-after': '0' });
      sendJson(res, 200, { ok: true });
    });
    const kapi = client(server.url);
    try {
      assert.deepEqual(await kapi.call({ method: 'GET', path: '/short' }), { ok: true });
      assert.equal(server.requests.length, 2);
      await assert.rejects(kapi.call({ method: 'GET', path: '/long' }), /429/);
      assert.equal(server.requests.length, 3);
    } finally {
      await kapi.close();
      await server.close();
    }
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(retryAfterMs('soon'), undefined);
  });

  it('retries a GET after a reset connection', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      n++;
      if (n === 1) return res.socket?.destroy();
      sendJson(res, 200, { ok: true });
    });
    const kapi = client(server.url);
    try {
      assert.deepEqual(await kapi.call({ method: 'GET', path: '/x' }), { ok: true });
      assert.equal(server.requests.length, 2);
    } finally {
      await kapi.close();
      await server.close();
    }
  });
});

describe('unreachable hosts', () => {
  const closed: Promise<string> = startServer(() => {}).then(async (s) => {
    await s.close();
    return s.url;
  });
  after(() => closed);

  it('connection refused is a ConnectionError naming the host', async () => {
    const url = await closed;
    const kapi = client(url, { retries: 1 });
    try {
      await assert.rejects(kapi.call({ method: 'GET', path: '/x' }), (err: unknown) => {
        assert.ok(err instanceof ConnectionError);
        assert.equal(err.code, 'KAPI_CONNECTION_ERROR');
        assert.equal(err.causeCode, 'ECONNREFUSED');
        assert.match(err.message, new RegExp(`cannot reach ${url}`));
        return true;
      });
    } finally {
      await kapi.close();
    }
  });

  it('a server that never answers times out', async () => {
    const server = await startServer(() => {});
    const kapi = client(server.url, { timeoutMs: 200, retries: 0 });
    try {
      await assert.rejects(kapi.call({ method: 'GET', path: '/slow' }), (err: unknown) => {
        assert.ok(err instanceof TimeoutError);
        assert.equal(err.code, 'KAPI_TIMEOUT');
        assert.equal(err.timeoutMs, 200);
        return true;
      });
    } finally {
      await kapi.close();
      await server.close();
    }
  });
});

describe('exchange hook', () => {
  it('tells observers of each exchange once, Authorization redacted, retries folded in', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      n++;
      if (n === 1) return sendJson(res, 503, { kind: 'Status', message: 'down', code: 503 });
      sendJson(res, 200, { items: [], totalItems: 0 });
    });
    const seen: HttpExchange[] = [];
    const fromOption: HttpExchange[] = [];
    const kapi = client(server.url, { token: 'secret-token-1', onExchange: (e) => fromOption.push(e) });
    const stop = kapi.transport.observe((e) => seen.push(e));
    try {
      await listNodeGroups(kapi);
      assert.equal(seen.length, 1);
      assert.equal(fromOption.length, 1);
      const [exchange] = seen;
      assert.equal(exchange!.attempts, 2);
      assert.equal(exchange!.response?.status, 200);
      assert.equal(exchange!.url, `${server.url}/kapis/infra.kubesphere.io/v1alpha1/nodegroups`);
      assert.equal(exchange!.request.headers['authorization'], '<redacted>');
      assert.ok(!JSON.stringify(seen).includes('secret-token-1'), 'the token reaches no observer');
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer secret-token-1', 'but it is sent');
      stop();
      await listNodeGroups(kapi);
      assert.equal(seen.length, 1, 'an observer that stopped hears nothing more');
      assert.equal(fromOption.length, 2);
    } finally {
      await kapi.close();
      await server.close();
    }
  });

  it('an exchange that fails carries the error the caller gets', async () => {
    const server = await startServer(() => {});
    await server.close();
    const seen: HttpExchange[] = [];
    const kapi = client(server.url, { retries: 1, onExchange: (e) => seen.push(e) });
    try {
      const thrown = await kapi.call({ method: 'GET', path: '/x' }).catch((err: unknown) => err);
      assert.ok(thrown instanceof ConnectionError);
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.error, thrown);
      assert.equal(seen[0]!.response, undefined);
      assert.equal(seen[0]!.attempts, 2, 'the refused connection was retried once');
    } finally {
      await kapi.close();
    }
  });
});
