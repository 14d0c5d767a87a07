/**
 * The fault client against a real embedded sandbox: switch faults on and off as an operator sees
 * them, pass on the sandbox's refusals, refuse any other target before sending, and undo a
 * ledgered injection.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import { NODEGROUP_DEPLOYMENTS, NODEGROUP_NAMESPACE } from '../../src/constants';
import { KapiClient } from '../../src/kapi/client';
import { FaultClient, FaultRequestError, GuardrailError } from '../../src/runbook';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

let sandbox: Sandbox;
let kapi: KapiClient;
let faults: FaultClient;

before(async () => {
  sandbox = await startSandbox();
  kapi = new KapiClient({
    host: sandbox.url,
    credentials: { username: sandbox.username, password: sandbox.password },
  });
  faults = new FaultClient(kapi, { kind: 'sandbox', host: sandbox.url });
});
afterEach(() => sandbox.faults.clear());
after(async () => {
  await kapi.close();
  await sandbox.stop();
});

const controllerAvailable = () =>
  (
    sandbox.store.get('deployments', NODEGROUP_NAMESPACE, NODEGROUP_DEPLOYMENTS[1]).status as {
      availableReplicas?: number;
    }
  ).availableReplicas;

describe('the fault client on the embedded sandbox', () => {
  test('switch a fault on with options, see it listed, switch it off', async () => {
    const on = await faults.set('stuck-finalizer', { nodegroup: 'edge-a' });
    assert.equal(on.name, 'stuck-finalizer');
    assert.deepEqual(on.options, { nodegroup: 'edge-a' });
    assert.ok(sandbox.faults.blocks({ step: 'remove-finalizer', nodegroup: 'edge-a' }));
    const listed = await faults.list();
    assert.deepEqual(
      listed.faults.map((f) => f.name),
      ['stuck-finalizer'],
    );
    assert.ok(listed.available.includes('controller-paused'));
    assert.deepEqual((await faults.get('stuck-finalizer'))?.options, { nodegroup: 'edge-a' });
    assert.equal(await faults.clear('stuck-finalizer'), true);
    assert.equal(await faults.clear('stuck-finalizer'), false, 'already off');
    assert.equal(await faults.get('stuck-finalizer'), undefined);
  });

  test('a paused controller shows as an unavailable Deployment until the fault is off', async () => {
    await faults.set('controller-paused');
    assert.equal(controllerAvailable(), 0);
    await faults.reset();
    assert.equal(controllerAvailable(), 1);
    assert.deepEqual((await faults.list()).faults, []);
  });

  test("the sandbox's refusals are passed on: unknown fault, bad option", async () => {
    await assert.rejects(
      faults.set('disk-full'),
      (err: unknown) =>
        err instanceof FaultRequestError &&
        /cannot switch on fault disk-full: unknown fault "disk-full": the faults are controller-paused/.test(
          err.message,
        ),
    );
    await assert.rejects(
      faults.set('stuck-finalizer', {}),
      (err: unknown) =>
        err instanceof FaultRequestError && /option "nodegroup" is required/.test(err.message),
    );
    assert.deepEqual(sandbox.faults.list(), []);
  });

  test('another target is refused before anything is sent', async () => {
    let sent = 0;
    const counting = new KapiClient({ host: sandbox.url, credentials: { username: 'admin', password: 'x' } });
    const send = counting.transport.send.bind(counting.transport);
    counting.transport.send = (req) => {
      sent++;
      return send(req);
    };
    const live = new FaultClient(counting, { kind: 'live', host: 'https://ks.example' });
    for (const call of [() => live.set('controller-paused'), () => live.list(), () => live.reset()]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof GuardrailError);
        assert.match(
          err.message,
          /on https:\/\/ks\.example: faults are injected only into the embedded sandbox/,
        );
        assert.match(err.message, /nothing was sent/);
        return true;
      });
    }
    assert.equal(sent, 0);
    await counting.close();
  });
});
