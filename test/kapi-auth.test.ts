import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TokenProvider } from '../src/kapi/auth';
import { KapiClient } from '../src/kapi/client';
import { CredentialsError, HttpError, TokenCacheError } from '../src/kapi/errors';
import { nodegroupRequests } from '../src/kapi/nodegroups';
import { readTokenCache, tokenCachePath, writeTokenCache } from '../src/kapi/token-cache';
import { sendJson, startServer, tempHome } from './cli-helpers';

describe('token cache', () => {
  it('is the helper JSON form, mode 0600, written atomically', () => {
    const { home, cleanup } = tempHome();
    try {
      const file = tokenCachePath(home);
      assert.equal(file, join(home, '.kubesphere_token'));
      const saved = writeTokenCache(file, 'tok-1', 7200, 1000);
      const body = JSON.parse(readFileSync(file, 'utf8'));
      assert.deepEqual(Object.keys(body).sort(), ['expires_at', 'saved_at', 'token']);
      assert.deepEqual(body, { token: 'tok-1', expires_at: 8200, saved_at: 1000 });
      assert.deepEqual(saved.cached, body);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(home), ['.kubesphere_token'], 'no temp file left behind');
      writeTokenCache(file, 'tok-2', undefined, 1000);
      assert.equal(
        JSON.parse(readFileSync(file, 'utf8')).expires_at,
        1000 + 5 * 3600,
        '5 h without expires_in',
      );
    } finally {
      cleanup();
    }
  });

  it('ignores an expired cache and reports a corrupt or unreadable one', () => {
    const { home, cleanup } = tempHome();
    try {
      const file = tokenCachePath(home);
      writeTokenCache(file, 'old', 10, 1000);
      assert.equal(readTokenCache(file, 1011), undefined);
      assert.equal(readTokenCache(file, 1005)?.token, 'old');
      writeFileSync(file, '{not json');
      assert.throws(
        () => readTokenCache(file),
        (err: unknown) => {
          assert.ok(err instanceof TokenCacheError);
          assert.equal(err.code, 'KAPI_TOKEN_CACHE_CORRUPT');
          assert.match(err.message, /clear-cache/);
          return true;
        },
      );
      writeFileSync(file, JSON.stringify({ token: 'x', expires_at: 'tomorrow' }));
      assert.throws(() => readTokenCache(file), /expires_at/);
      const dirHome = join(home, 'sub');
      mkdirSync(join(dirHome, '.kubesphere_token'), { recursive: true });
      assert.throws(() => readTokenCache(tokenCachePath(dirHome)), { code: 'KAPI_TOKEN_CACHE_UNREADABLE' });
    } finally {
      cleanup();
    }
  });

  it('never overwrites a corrupt cache silently: it is moved aside and reported', () => {
    const { home, cleanup } = tempHome();
    try {
      const file = tokenCachePath(home);
      writeFileSync(file, 'garbage');
      const saved = writeTokenCache(file, 'fresh', 60, 2000);
      assert.equal(saved.movedCorruptTo, `${file}.corrupt-2000`);
      assert.equal(readFileSync(saved.movedCorruptTo!, 'utf8'), 'garbage');
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).token, 'fresh');
    } finally {
      cleanup();
    }
  });
});

describe('token precedence', () => {
  it('--token, then KUBESPHERE_TOKEN, then the cache', () => {
    const { home, cleanup } = tempHome();
    try {
      const cacheFile = tokenCachePath(home);
      const host = 'https://ks.example.com';
      writeTokenCache(cacheFile, 'from-cache', 600, undefined, { host, user: 'admin' });
      assert.deepEqual(new TokenProvider({ host, token: 'a', envToken: 'b', cacheFile }).known(), {
        value: 'a',
        source: 'flag',
      });
      assert.deepEqual(new TokenProvider({ host, envToken: 'b', cacheFile }).known(), {
        value: 'b',
        source: 'env',
      });
      assert.deepEqual(new TokenProvider({ host, cacheFile }).known(), {
        value: 'from-cache',
        source: 'cache',
      });
      assert.equal(new TokenProvider({ host, cacheFile: join(home, 'none') }).known(), undefined);
    } finally {
      cleanup();
    }
  });

  it('names every way to get a token when there is none', async () => {
    const provider = new TokenProvider({});
    await assert.rejects(provider.get({} as never), (err: unknown) => {
      assert.ok(err instanceof CredentialsError);
      for (const word of [
        '--token',
        'KUBESPHERE_TOKEN',
        'nodegroup-api login',
        'KUBESPHERE_USERNAME',
        'KUBESPHERE_PASSWORD',
      ]) {
        assert.ok(err.message.includes(word), word);
      }
      return true;
    });
  });
});

/** ks-apiserver stand-in: /oauth/token grants `fresh-N`; KAPI accepts only tokens in `valid`. */
async function authServer(valid: Set<string>) {
  let grants = 0;
  return startServer((req, res) => {
    if (req.url === '/oauth/token') {
      const form = new URLSearchParams(req.body);
      if (form.get('password') !== 's3cret' || form.get('client_id') !== 'kubesphere') {
        return sendJson(res, 400, {
          error: 'invalid_grant',
          error_description: 'incorrect username or password',
        });
      }
      grants++;
      return sendJson(res, 200, { access_token: `fresh-${grants}`, token_type: 'Bearer', expires_in: 7200 });
    }
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    if (!valid.has(token))
      return sendJson(res, 401, {
        kind: 'Status',
        message: 'token is expired',
        reason: 'Unauthorized',
        code: 401,
      });
    sendJson(res, 200, { ok: token });
  });
}

describe('401 re-login', () => {
  it('logs in once more, retries once (even a POST) and caches the new token', async () => {
    const server = await authServer(new Set(['fresh-1']));
    const { home, cleanup } = tempHome();
    const cacheFile = tokenCachePath(home);
    const kapi = new KapiClient({
      host: server.url,
      envToken: 'stale',
      cacheFile,
      credentials: { username: 'admin', password: 's3cret' },
    });
    try {
      assert.deepEqual(await kapi.call(nodegroupRequests.bind('node', 'g1', 'n1')), { ok: 'fresh-1' });
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.url}`),
        [
          'POST /kapis/infra.kubesphere.io/v1alpha1/nodegroups/g1/nodes/n1',
          'POST /oauth/token',
          'POST /kapis/infra.kubesphere.io/v1alpha1/nodegroups/g1/nodes/n1',
        ],
      );
      assert.equal(readTokenCache(cacheFile)?.token, 'fresh-1');
    } finally {
      await kapi.close();
      await server.close();
      cleanup();
    }
  });

  it('re-logs in only once, and not at all without credentials', async () => {
    const server = await authServer(new Set());
    const withCreds = new KapiClient({
      host: server.url,
      token: 'stale',
      credentials: { username: 'admin', password: 's3cret' },
    });
    const without = new KapiClient({ host: server.url, token: 'stale' });
    try {
      await assert.rejects(
        withCreds.call({ method: 'GET', path: '/x' }),
        (err: unknown) => err instanceof HttpError && err.status === 401,
      );
      assert.equal(server.requests.filter((r) => r.url === '/oauth/token').length, 1);
      assert.equal(server.requests.length, 3);
      await assert.rejects(without.call({ method: 'GET', path: '/x' }), /401 Unauthorized: token is expired/);
      assert.equal(server.requests.length, 4);
    } finally {
      await withCreds.close();
      await without.close();
      await server.close();
    }
  });

  it('logs in first when there is no token but credentials are set', async () => {
    const server = await authServer(new Set(['fresh-1']));
    const kapi = new KapiClient({ host: server.url, credentials: { username: 'admin', password: 's3cret' } });
    try {
      assert.deepEqual(await kapi.call({ method: 'GET', path: '/x' }), { ok: 'fresh-1' });
      assert.equal(server.requests[0]!.url, '/oauth/token');
      assert.equal(server.requests[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
    } finally {
      await kapi.close();
      await server.close();
    }
  });
});
