import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_ADMIN_USER,
  LOGIN_FAILURE_LIMIT,
  LOGIN_FAILURE_WINDOW_SECONDS,
  NODEGROUP_GROUP,
  OAUTH_CLIENT_ID,
  OAUTH_CLIENT_SECRET,
  READONLY_USER,
  REFRESH_TOKEN_TTL_SECONDS,
} from '../../src/constants';
import { type Listener, type RequestContext, sendJSON, sendStatus } from '../../src/sandbox/http/http';
import {
  type AccessTarget,
  Authenticator,
  KUBECONFIG_TOKEN_TTL_SECONDS,
} from '../../src/sandbox/kubesphere/oauth';
import { StatusError } from '../../src/sandbox/store/status';

const ADMIN_PASSWORD = 'test-admin-pw';
const VIEWER_PASSWORD = 'test-viewer-pw';
const NODEGROUPS = `/apis/${NODEGROUP_GROUP}/v1alpha1/nodegroups`;

/** A stand-in for the lead's router: /oauth/token public, everything else authenticated. */
function startServer(auth: Authenticator, listener: Listener): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      listener,
    };
    try {
      if (ctx.path === '/oauth/token') return await auth.handleOAuth(ctx);
      const user = auth.authenticate(ctx);
      const name = ctx.path.slice(NODEGROUPS.length + 1);
      const target: AccessTarget = ctx.path.startsWith(NODEGROUPS)
        ? { resource: 'nodegroups', group: NODEGROUP_GROUP, ...(name ? { name } : {}) }
        : { path: ctx.path };
      auth.authorizeRequest(user, ctx.method, target, ctx.query);
      req.resume();
      sendJSON(res, 200, { user });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
      req.resume();
      sendStatus(res, err);
    }
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => ({
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  }));
}

describe('sandbox OAuth and bearer tokens over HTTP', () => {
  let clock = Date.parse('2025-06-01T00:00:00Z');
  const auth = new Authenticator({
    adminPassword: ADMIN_PASSWORD,
    readonlyPassword: VIEWER_PASSWORD,
    now: () => clock,
  });
  let ks: { server: Server; url: string };
  let kube: { server: Server; url: string };

  before(async () => {
    ks = await startServer(auth, 'ks-apiserver');
    kube = await startServer(auth, 'kube-apiserver');
  });
  after(() => {
    ks.server.close();
    kube.server.close();
  });

  const postToken = (fields: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${ks.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      ...init,
    });
  const client = { client_id: OAUTH_CLIENT_ID, client_secret: OAUTH_CLIENT_SECRET };
  const login = (username: string, password: string) =>
    postToken({ ...client, grant_type: 'password', username, password });
  const tokensOf = async (res: Response) => {
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { access_token: string; refresh_token: string };
  };
  const get = (token: string | undefined, path = NODEGROUPS, method = 'GET', base = ks.url) =>
    fetch(`${base}${path}`, {
      method,
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    });
  const assertOAuthError = async (res: Response, status: number, error: string, description: RegExp) => {
    assert.equal(res.status, status);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, error);
    assert.match(body.error_description, description);
  };
  const assertStatus = async (res: Response, code: number, reason: string, message: string | RegExp) => {
    assert.equal(res.status, code);
    const body = (await res.json()) as { kind: string; code: number; reason: string; message: string };
    assert.equal(body.kind, 'Status');
    assert.equal(body.code, code);
    assert.equal(body.reason, reason);
    if (typeof message === 'string') assert.equal(body.message, message);
    else assert.match(body.message, message);
  };

  test('password grant returns a Bearer pair that is not cached, and the token works', async () => {
    const res = await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, ACCESS_TOKEN_TTL_SECONDS);
    assert.match(String(body.access_token), /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.notEqual(body.access_token, body.refresh_token);
    const ok = await get(String(body.access_token));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { user: { name: DEFAULT_ADMIN_USER, readOnly: false } });
  });

  test('client errors: unknown client 400 invalid_client, wrong secret 401 unauthorized_client', async () => {
    const base = { grant_type: 'password', username: DEFAULT_ADMIN_USER, password: ADMIN_PASSWORD };
    await assertOAuthError(
      await postToken({ ...base, client_id: 'console', client_secret: OAUTH_CLIENT_SECRET }),
      400,
      'invalid_client',
      /client_id is invalid or does not exist/,
    );
    await assertOAuthError(await postToken(base), 400, 'invalid_client', /client_id/);
    await assertOAuthError(
      await postToken({ ...base, client_id: OAUTH_CLIENT_ID, client_secret: 'nope' }),
      401,
      'unauthorized_client',
      /Invalid client credential/,
    );
  });

  test('bad username or password is 400 invalid_grant; missing ones are invalid_request', async () => {
    await assertOAuthError(
      await login(DEFAULT_ADMIN_USER, 'wrong'),
      400,
      'invalid_grant',
      /^Invalid username or password\.$/,
    );
    await assertOAuthError(
      await login('nobody', ADMIN_PASSWORD),
      400,
      'invalid_grant',
      /Invalid username or password/,
    );
    await assertOAuthError(
      await postToken({ ...client, grant_type: 'password', username: DEFAULT_ADMIN_USER }),
      400,
      'invalid_request',
      /username and password parameters are required/,
    );
    assert.equal(
      (await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD)).status,
      200,
      'one failure does not lock out',
    );
  });

  test('unknown or missing grant_type is 400 unsupported_grant_type', async () => {
    await assertOAuthError(
      await postToken({ ...client, grant_type: 'client_credentials' }),
      400,
      'unsupported_grant_type',
      /grant_type "client_credentials" is not supported; use password or refresh_token/,
    );
    await assertOAuthError(await postToken(client), 400, 'unsupported_grant_type', /not supported/);
  });

  test('wrong method is 405, wrong content type 400 invalid_request, oversized body 413', async () => {
    const res = await fetch(`${ks.url}/oauth/token`);
    await assertOAuthError(res, 405, 'invalid_request', /accepts only POST, not GET/);
    assert.equal(res.headers.get('allow'), 'POST');
    await assertOAuthError(
      await postToken({}, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(client) }),
      400,
      'invalid_request',
      /must be application\/x-www-form-urlencoded, not application\/json/,
    );
    await assertOAuthError(
      await postToken({}, { body: `client_id=${'x'.repeat(100_000)}` }),
      413,
      'invalid_request',
      /over the limit/,
    );
  });

  test('refresh grant returns a new working pair; bad, wrong-type or expired refresh tokens are invalid_grant', async () => {
    const first = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    const refresh = (refresh_token: string) =>
      postToken({ ...client, grant_type: 'refresh_token', refresh_token });
    const res = await refresh(first.refresh_token);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const second = await tokensOf(res);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal((await get(second.access_token)).status, 200);

    const invalid = /^The refresh token is invalid or expired\.$/;
    await assertOAuthError(await refresh(first.access_token), 400, 'invalid_grant', invalid);
    await assertOAuthError(await refresh('not-a-token'), 400, 'invalid_grant', invalid);
    const [h, p, s] = first.refresh_token.split('.');
    await assertOAuthError(await refresh(`${h}.${p}x.${s}`), 400, 'invalid_grant', invalid);
    await assertOAuthError(
      await postToken({ ...client, grant_type: 'refresh_token' }),
      400,
      'invalid_request',
      /refresh_token parameter is required/,
    );
    const saved = clock;
    clock += REFRESH_TOKEN_TTL_SECONDS * 1000;
    try {
      await assertOAuthError(await refresh(second.refresh_token), 400, 'invalid_grant', invalid);
    } finally {
      clock = saved;
    }
  });

  test('no token is a 403 anonymous Status; bad tokens are 401 Status', async () => {
    await assertStatus(
      await get(undefined),
      403,
      'Forbidden',
      `forbidden: User "system:anonymous" cannot get path "${NODEGROUPS}"`,
    );
    const { access_token, refresh_token } = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    await assertStatus(await get('garbage'), 401, 'Unauthorized', /token is malformed/);
    const [h, p, s] = access_token.split('.');
    const forged = Buffer.from(p!, 'base64url').toString().replace(DEFAULT_ADMIN_USER, READONLY_USER);
    await assertStatus(
      await get(`${h}.${Buffer.from(forged).toString('base64url')}.${s}`),
      401,
      'Unauthorized',
      'token signature is invalid',
    );
    await assertStatus(await get(refresh_token), 401, 'Unauthorized', /refresh token cannot be used/);
    const basic = await fetch(`${ks.url}${NODEGROUPS}`, { headers: { Authorization: 'Basic YWRtaW46eA==' } });
    await assertStatus(basic, 401, 'Unauthorized', /only bearer tokens/);
    // kube-apiserver words every 401 the same way.
    await assertStatus(
      await get('garbage', '/api/v1/nodes', 'GET', kube.url),
      401,
      'Unauthorized',
      'Unauthorized',
    );
    assert.equal((await get(access_token, '/api/v1/nodes', 'GET', kube.url)).status, 200);
  });

  test('access tokens expire after expires_in seconds', async () => {
    const { access_token } = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    const saved = clock;
    try {
      clock += (ACCESS_TOKEN_TTL_SECONDS - 1) * 1000;
      assert.equal((await get(access_token)).status, 200);
      clock += 1000;
      await assertStatus(await get(access_token), 401, 'Unauthorized', 'token is expired');
    } finally {
      clock = saved;
    }
  });

  test('read-only user reads but gets Kubernetes 403 Forbidden on writes; admin writes', async () => {
    const viewer = (await tokensOf(await login(READONLY_USER, VIEWER_PASSWORD))).access_token;
    assert.deepEqual(await (await get(viewer)).json(), { user: { name: READONLY_USER, readOnly: true } });
    assert.equal((await get(viewer, `${NODEGROUPS}/ng1?watch=1`)).status, 200);
    const scope = `in API group "${NODEGROUP_GROUP}" at the cluster scope`;
    await assertStatus(
      await get(viewer, NODEGROUPS, 'POST'),
      403,
      'Forbidden',
      `nodegroups.${NODEGROUP_GROUP} is forbidden: User "viewer" cannot create resource "nodegroups" ${scope}`,
    );
    const res = await get(viewer, `${NODEGROUPS}/ng1`, 'DELETE');
    assert.deepEqual(((await res.clone().json()) as { details: unknown }).details, {
      name: 'ng1',
      group: NODEGROUP_GROUP,
      kind: 'nodegroups',
    });
    await assertStatus(
      res,
      403,
      'Forbidden',
      `nodegroups.${NODEGROUP_GROUP} "ng1" is forbidden: User "viewer" cannot delete resource "nodegroups" ${scope}`,
    );
    await assertStatus(
      await get(viewer, '/sandbox/v1/faults', 'PUT'),
      403,
      'Forbidden',
      'forbidden: User "viewer" cannot put path "/sandbox/v1/faults"',
    );
    const admin = (await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD))).access_token;
    for (const method of ['POST', 'PUT', 'PATCH'])
      assert.equal((await get(admin, `${NODEGROUPS}/ng1`, method)).status, 200);
  });

  test('expireAll expires every token issued so far; later logins and issued tokens work', async () => {
    const old = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    const oldKubeconfig = auth.issueToken(DEFAULT_ADMIN_USER);
    // used once first, so that a verified (cached) token is what expireAll must turn away
    assert.equal((await get(old.access_token)).status, 200);
    assert.equal((await get(oldKubeconfig)).status, 200);
    auth.expireAll();
    await assertStatus(await get(old.access_token), 401, 'Unauthorized', 'token is expired');
    await assertStatus(await get(oldKubeconfig), 401, 'Unauthorized', 'token is expired');
    await assertOAuthError(
      await postToken({ ...client, grant_type: 'refresh_token', refresh_token: old.refresh_token }),
      400,
      'invalid_grant',
      /invalid or expired/,
    );
    const fresh = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    assert.equal((await get(fresh.access_token)).status, 200);
    assert.equal((await get(auth.issueToken(READONLY_USER))).status, 200);
  });

  test('issueToken lasts KUBECONFIG_TOKEN_TTL_SECONDS and names a known user', async () => {
    const token = auth.issueToken(DEFAULT_ADMIN_USER);
    const saved = clock;
    try {
      clock += (KUBECONFIG_TOKEN_TTL_SECONDS - 1) * 1000;
      assert.equal((await get(token)).status, 200);
      clock += 1000;
      assert.equal((await get(token)).status, 401);
    } finally {
      clock = saved;
    }
    assert.throws(() => auth.issueToken('mallory'), /no sandbox user named "mallory"/);
  });

  test('repeated failed logins get 429 with Retry-After, per user, until the window passes', async () => {
    const saved = clock;
    try {
      for (let i = 0; i < LOGIN_FAILURE_LIMIT; i++) {
        assert.equal((await login(READONLY_USER, 'wrong')).status, 400, `failure ${i + 1}`);
      }
      const limited = await login(READONLY_USER, VIEWER_PASSWORD);
      await assertOAuthError(limited, 429, 'invalid_grant', /^Rate limit exceeded: .* retry after \d+s\.$/);
      assert.equal(limited.headers.get('retry-after'), String(LOGIN_FAILURE_WINDOW_SECONDS));
      clock += 60_000;
      assert.equal(
        (await login(READONLY_USER, VIEWER_PASSWORD)).headers.get('retry-after'),
        String(LOGIN_FAILURE_WINDOW_SECONDS - 60),
      );
      assert.equal(
        (await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD)).status,
        200,
        'other users are unaffected',
      );
      clock += LOGIN_FAILURE_WINDOW_SECONDS * 1000;
      assert.equal((await login(READONLY_USER, VIEWER_PASSWORD)).status, 200);
    } finally {
      clock = saved;
    }
  });

  test('nothing is logged: no password or token reaches the console', async (t) => {
    const calls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      t.mock.method(console, m, () => {}),
    );
    const { access_token } = await tokensOf(await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD));
    await login(DEFAULT_ADMIN_USER, 'wrong-secret');
    await get(`${access_token}x`);
    assert.deepEqual(
      calls.map((c) => c.mock.callCount()),
      [0, 0, 0, 0, 0],
    );
  });

  test('a successful login clears the failure count', async () => {
    assert.equal((await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD)).status, 200, 'start from a clean count');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_FAILURE_LIMIT - 1; i++)
        assert.equal((await login(DEFAULT_ADMIN_USER, 'x')).status, 400);
      assert.equal((await login(DEFAULT_ADMIN_USER, ADMIN_PASSWORD)).status, 200, `round ${round}`);
    }
  });
});

describe('Authenticator construction and credentials', () => {
  test('exposes both logins; the read-only password is random when not given', () => {
    const a = new Authenticator({ adminPassword: 'pw' });
    const b = new Authenticator({ adminPassword: 'pw' });
    assert.equal(a.credentials.admin.username, DEFAULT_ADMIN_USER);
    assert.equal(a.credentials.admin.password, 'pw');
    assert.equal(a.credentials.readonly.username, READONLY_USER);
    assert.ok(a.credentials.readonly.password.length >= 16);
    assert.notEqual(a.credentials.readonly.password, b.credentials.readonly.password);
    assert.equal(
      new Authenticator({ adminPassword: 'pw', readonlyPassword: 'ro' }).credentials.readonly.password,
      'ro',
    );
  });

  test('tokens of one sandbox are not accepted by another', () => {
    const a = new Authenticator({ adminPassword: 'pw' });
    const b = new Authenticator({ adminPassword: 'pw' });
    const ctx = {
      req: { headers: { authorization: `Bearer ${a.issueToken(DEFAULT_ADMIN_USER)}` } },
      method: 'GET',
      path: '/api',
      listener: 'ks-apiserver',
    };
    assert.equal(a.authenticate(ctx as unknown as RequestContext).name, DEFAULT_ADMIN_USER);
    assert.throws(() => b.authenticate(ctx as unknown as RequestContext), /token signature is invalid/);
  });

  test('rejects an empty admin or read-only password', () => {
    assert.throws(() => new Authenticator({ adminPassword: '' }), /admin password must not be empty/);
    assert.throws(
      () => new Authenticator({ adminPassword: 'x', readonlyPassword: '' }),
      /read-only password/,
    );
  });
});
