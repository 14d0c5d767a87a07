/**
 * The token cache bound to its host and user: a token cached for host A never reaches host B (a
 * capture server records everything B receives), a cache that does not say its host is not sent,
 * explicit credentials of another user win over a cached token (and a wrong password fails rather
 * than passing on the cache), and the server's own answer says who a token is (/oauth/userinfo).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { TokenProvider } from '../../src/kapi/auth';
import { KapiClient } from '../../src/kapi/client';
import { HttpError } from '../../src/kapi/errors';
import { whoAmI } from '../../src/kapi/identity';
import { cacheMismatch, normalHost, readTokenCache, tokenCachePath } from '../../src/kapi/token-cache';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { type Recorded, runCli, sendJson, startServer, tempHome } from '../cli-helpers';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.stop();
});

const everything = (r: Recorded) => `${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`;

describe('a token of host A never reaches host B', () => {
  test('nodegroup-api with the cache of A, pointed at B: nothing of A is sent', async () => {
    const { home, cleanup } = tempHome();
    const hostB = await startServer((req, res) =>
      req.url.startsWith('/oauth/token')
        ? sendJson(res, 200, { access_token: 'token-of-b', token_type: 'Bearer', expires_in: 600 })
        : sendJson(res, 200, { items: [], totalItems: 0 }),
    );
    try {
      const login = await runCli(['login'], {
        HOME: home,
        KUBESPHERE_HOST: sandbox.url,
        KUBESPHERE_USERNAME: sandbox.username,
        KUBESPHERE_PASSWORD: sandbox.password,
      });
      assert.equal(login.code, 0, login.stderr);
      const cached = readTokenCache(tokenCachePath(home))!;
      assert.equal(cached.host, sandbox.url);
      assert.equal(cached.user, sandbox.username);
      assert.ok(cached.token && cached.expires_at > cached.saved_at, 'still {token, expires_at, saved_at}');

      const noCreds = await runCli(['nodegroup', 'list'], { HOME: home, KUBESPHERE_HOST: hostB.url });
      assert.notEqual(noCreds.code, 0);
      assert.match(
        noCreds.stderr,
        /the cached token in .* is not used: it was issued by http:\/\/127\.0\.0\.1:\d+/,
      );
      assert.equal(hostB.requests.length, 0, 'B received nothing');

      // With B's own credentials, B gets a login of its own, still never A's token.
      const withCreds = await runCli(['nodegroup', 'list'], {
        HOME: home,
        KUBESPHERE_HOST: hostB.url,
        KUBESPHERE_USERNAME: 'ops',
        KUBESPHERE_PASSWORD: 'b-password',
      });
      assert.equal(withCreds.code, 0, withCreds.stderr);
      assert.ok(hostB.requests.length >= 2);
      for (const r of hostB.requests)
        assert.ok(!everything(r).includes(cached.token), `A's token sent: ${r.url}`);
      assert.ok(hostB.requests.some((r) => r.headers.authorization === 'Bearer token-of-b'));
      // The cache is B's now, bound to B and its user.
      assert.deepEqual(
        {
          host: readTokenCache(tokenCachePath(home))?.host,
          user: readTokenCache(tokenCachePath(home))?.user,
        },
        { host: hostB.url, user: 'ops' },
      );
    } finally {
      await hostB.close();
      cleanup();
    }
  });

  test("a cache written without a host (the guide's helper) is never sent", async () => {
    const { home, cleanup } = tempHome();
    const hostB = await startServer((_req, res) => sendJson(res, 200, { items: [] }));
    try {
      const file = tokenCachePath(home);
      const now = Math.floor(Date.now() / 1000);
      writeFileSync(file, JSON.stringify({ token: 'legacy-token', expires_at: now + 600, saved_at: now }));
      const client = new KapiClient({ host: hostB.url, cacheFile: file });
      await assert.rejects(
        client.call({ method: 'GET', path: '/kapis/x' }),
        /does not say which host issued it/,
      );
      assert.equal(hostB.requests.length, 0);
      await client.close();
    } finally {
      await hostB.close();
      cleanup();
    }
  });

  test('hosts compare by scheme, host, port and path, not spelling', () => {
    assert.equal(normalHost('HTTP://Example.com:80/'), normalHost('http://example.com'));
    assert.notEqual(normalHost('https://example.com'), normalHost('http://example.com'));
    assert.notEqual(normalHost('https://example.com:8443'), normalHost('https://example.com'));
    const cached = { token: 't', expires_at: 2, saved_at: 1, host: 'https://a.example', user: 'viewer' };
    assert.equal(cacheMismatch(cached, { host: 'https://a.example/' }), undefined);
    assert.match(
      cacheMismatch(cached, { host: 'https://a.example', user: 'admin' }) ?? '',
      /issued to viewer, not admin/,
    );
  });
});

describe('explicit credentials and the cache', () => {
  const loginAsViewer = async (home: string) => {
    const run = await runCli(['login'], {
      HOME: home,
      KUBESPHERE_HOST: sandbox.url,
      KUBESPHERE_USERNAME: sandbox.readonly.username,
      KUBESPHERE_PASSWORD: sandbox.readonly.password,
    });
    assert.equal(run.code, 0, run.stderr);
  };

  test('credentials of another user win over the cached token; the server says who the token is', async () => {
    const { home, cleanup } = tempHome();
    try {
      await loginAsViewer(home);
      const cacheFile = tokenCachePath(home);
      const viewer = new KapiClient({ host: sandbox.url, cacheFile });
      assert.deepEqual(await whoAmI(viewer), {
        user: sandbox.readonly.username,
        source: 'GET /oauth/userinfo',
      });
      const anonymous = await fetch(`${sandbox.url}/oauth/userinfo`);
      // Like every non-public path of the sandbox: anonymous is system:anonymous, refused.
      assert.ok([401, 403].includes(anonymous.status), `userinfo needs a token: ${anonymous.status}`);
      await viewer.close();

      const admin = new KapiClient({
        host: sandbox.url,
        cacheFile,
        credentials: { username: sandbox.username, password: sandbox.password },
      });
      assert.equal(admin.auth.known(), undefined, 'the cached viewer token is not taken for admin');
      assert.match(admin.auth.cacheSkipped ?? '', /issued to viewer, not admin/);
      assert.equal((await whoAmI(admin)).user, sandbox.username);
      await admin.close();
      assert.equal(readTokenCache(cacheFile)?.user, sandbox.username);

      // The same user's cached token is used without a new login.
      const again = new TokenProvider({
        host: sandbox.url,
        cacheFile,
        credentials: { username: sandbox.username, password: 'not checked' },
      });
      assert.equal(again.known()?.source, 'cache');
    } finally {
      cleanup();
    }
  });

  test('a wrong password for another user fails instead of passing on the cached token', async () => {
    const { home, cleanup } = tempHome();
    try {
      await loginAsViewer(home);
      const before = readFileSync(tokenCachePath(home), 'utf8');
      const client = new KapiClient({
        host: sandbox.url,
        cacheFile: tokenCachePath(home),
        credentials: { username: sandbox.username, password: 'wrong-password' },
      });
      await assert.rejects(
        client.call({ method: 'GET', path: '/kapis/infra.kubesphere.io/v1alpha1/nodegroups' }),
        // The login is what fails (KubeSphere: invalid_grant), not a request passing as viewer.
        (err: unknown) =>
          err instanceof HttpError && err.path === '/oauth/token' && /invalid_grant/.test(err.message),
      );
      await client.close();
      assert.equal(readFileSync(tokenCachePath(home), 'utf8'), before, 'the cache is left as it was');
    } finally {
      cleanup();
    }
  });
});
