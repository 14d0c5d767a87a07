/** Every runbook error has a stable code; failures sort into report categories by code, not wording. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DESIRED_NODEGROUP_ANNOTATION } from '../../src/constants';
import { ConnectionError, CredentialsError, HttpError, TimeoutError } from '../../src/kapi/errors';
import { KubeApiError, KubeUnreachableError } from '../../src/kube/errors';
import { type KubeObject, type KubeReader, WaitTimeoutError } from '../../src/kube/reader';
import {
  BlockedError,
  CleanupError,
  ConfigError,
  categoryOf,
  ERROR_CODES,
  explainBlocked,
  GuardrailError,
  MissingParameterError,
  TargetNotFoundError,
  Verifier,
  VerifyError,
} from '../../src/runbook';

const http = (status: number) => new HttpError('GET', '/kapis/x', status, 'm', 'status', undefined, '{}');

describe('error codes and their categories', () => {
  test('each runbook error says its code, and the code its category', () => {
    const cases: [Error & { code: string }, string][] = [
      [new MissingParameterError('NODE', 'node "${NODE}"'), 'runbook'],
      [new TargetNotFoundError('nodegroup x does not exist'), 'runbook'],
      [new GuardrailError('refusing'), 'runbook'],
      [new ConfigError('bad'), 'runbook'],
      [new CleanupError('cleanup failed', []), 'runbook'],
      [
        new BlockedError('RUNBOOK_ENV_AUTH', 'no credentials', 'nodegroup-api login', 'POST /oauth/token'),
        'environment',
      ],
      [new BlockedError('RUNBOOK_ENV_TLS', 'untrusted', 'x', 'y'), 'environment'],
      [new BlockedError('RUNBOOK_ENV_UNREACHABLE', 'cannot reach', 'x', 'y'), 'environment'],
      [new BlockedError('RUNBOOK_ENV_RBAC', 'forbidden', 'x', 'y'), 'environment'],
      [new VerifyError('wait expired: ...', { stuck: true }), 'stuck'],
      [new VerifyError('expected ..., but it did not hold'), 'product'],
    ];
    for (const [err, category] of cases) {
      assert.ok(err.code in ERROR_CODES, err.code);
      assert.equal(categoryOf(err), category, `${err.name} ${err.code}`);
    }
    assert.equal(new VerifyError('x', { stuck: true }).code, 'RUNBOOK_STUCK');
    assert.equal(new VerifyError('x').code, 'RUNBOOK_VERIFY');
  });

  test('HTTP errors sort by status; an error without a code is undecided', () => {
    assert.equal(categoryOf(http(500)), 'product');
    assert.equal(categoryOf(http(404)), 'product');
    for (const status of [401, 403, 502, 503, 504])
      assert.equal(categoryOf(http(status)), 'environment', `${status}`);
    assert.equal(
      categoryOf(new KubeApiError('GET', '/api/v1/nodes/a', 403, 'Forbidden', {}, 'nodes/a')),
      'environment',
    );
    assert.equal(
      categoryOf(new KubeApiError('LIST', '/api/v1/nodes', 500, undefined, {}, 'nodes')),
      'product',
    );
    assert.equal(categoryOf(new Error('plain')), undefined);
    assert.equal(categoryOf(undefined), undefined);
  });

  test('the cause is kept, and a plain wrapper sorts by the coded error underneath', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const conn = new ConnectionError('GET', '/kapis/x', 'http://h', 'ECONNREFUSED', 'refused', false, socket);
    assert.equal(conn.cause, socket);
    const blocked = new BlockedError('RUNBOOK_ENV_UNREACHABLE', 'cannot reach h', 'x', 'y', conn);
    assert.equal(blocked.cause, conn);
    assert.equal(categoryOf(new Error('step failed', { cause: conn })), 'environment');
    const unreachable = new KubeUnreachableError('https://k', 'ECONNRESET', socket);
    assert.equal(unreachable.cause, socket);
    assert.equal(categoryOf(unreachable), 'environment');
  });
});

describe('a blocked step says why by its code, and keeps the error underneath', () => {
  test('credentials, TLS, unreachable, timeout, rejected token', () => {
    const req = { method: 'GET' as const, path: '/kapis/infra.kubesphere.io/v1alpha1/nodegroups' };
    const cases: [Error, string][] = [
      [new CredentialsError('no token'), 'RUNBOOK_ENV_AUTH'],
      [
        new ConnectionError('GET', req.path, 'https://h', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'tls', true),
        'RUNBOOK_ENV_TLS',
      ],
      [
        new ConnectionError('GET', req.path, 'http://h', 'ECONNREFUSED', 'refused'),
        'RUNBOOK_ENV_UNREACHABLE',
      ],
      [new TimeoutError('GET', req.path, 'http://h', 1000), 'RUNBOOK_ENV_TIMEOUT'],
      [http(401), 'RUNBOOK_ENV_AUTH'],
    ];
    for (const [err, code] of cases) {
      const blocked = explainBlocked(err, 'http://h', 'nodegroup-api nodegroup list', req);
      assert.ok(blocked instanceof BlockedError, code);
      assert.equal(blocked.code, code);
      assert.equal(blocked.cause, err);
      assert.equal(categoryOf(blocked), 'environment');
    }
    const refused = http(404);
    assert.equal(explainBlocked(refused, 'http://h', 'x', req), refused, 'a real answer passes unchanged');
  });
});

describe('a wait that expires is stuck or a product defect, by the object last seen', () => {
  const reader = (lastSeen: KubeObject | undefined) =>
    ({
      waitFor: async () => {
        throw new WaitTimeoutError('x', 5, lastSeen);
      },
    }) as unknown as KubeReader;
  const wait = (lastSeen: KubeObject | undefined) =>
    new Verifier(reader(lastSeen), () => {}, 5).until(
      { resource: 'node', name: 'w1', description: 'node w1 in g' },
      () => false,
    );

  test('a bind request still pending on the target: stuck, with the wait as cause', async () => {
    const pending = {
      kind: 'Node',
      metadata: { name: 'w1', annotations: { [DESIRED_NODEGROUP_ANNOTATION]: 'g' } },
    };
    await assert.rejects(wait(pending), (err: unknown) => {
      assert.ok(err instanceof VerifyError);
      assert.equal(err.code, 'RUNBOOK_STUCK');
      assert.match(err.message, /^wait expired: .*waiting for the controller to apply .*desired-nodegroup=g/);
      assert.ok(err.cause instanceof WaitTimeoutError);
      return true;
    });
  });

  test('a settled object in another state: product', async () => {
    await assert.rejects(wait({ kind: 'Node', metadata: { name: 'w1' } }), (err: unknown) => {
      assert.ok(err instanceof VerifyError);
      assert.equal(err.code, 'RUNBOOK_VERIFY');
      assert.match(err.message, /^expected node w1 in g, but it did not hold/);
      return true;
    });
  });
});
