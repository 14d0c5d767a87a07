/**
 * The wait behind every expectation, against the embedded sandbox: it reports the one field the
 * expectation is about, ends early once the object is settled and cannot match (a product defect,
 * not a delay), keeps waiting while a change is in flight (a paused controller: the bind intent is
 * still on the node), and at the deadline tells a stuck controller (an object still terminating)
 * from a settled mismatch. Each failure carries the code its category is decided by.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { KapiClient } from '../../src/kapi/client';
import { nodegroupRequests } from '../../src/kapi/nodegroups';
import { KubeReader } from '../../src/kube/reader';
import type { Operation } from '../../src/runbook/evidence';
import { Verifier } from '../../src/runbook/flow/verifier';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';

const LABEL = 'apps.edgewize.io/nodegroup';

describe('waits: the one field last seen, and no waiting on what cannot change', () => {
  let sandbox: Sandbox;
  let client: KapiClient;
  let kube: KubeReader;
  const ops: Operation[] = [];
  before(async () => {
    sandbox = await startSandbox();
    client = new KapiClient({
      host: sandbox.url,
      credentials: { username: sandbox.username, password: sandbox.password },
    });
    kube = KubeReader.fromKubeconfig(sandbox.kubeconfigPath);
  });
  after(async () => {
    await client.close();
    await sandbox.stop();
  });
  const labelWait = (value: string) => ({
    resource: 'node' as const,
    name: 'worker-2',
    description: `node worker-2 with label ${LABEL}=${value}`,
    field: ['metadata', 'labels', LABEL],
  });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('the wait held'),
      (err: Error & { code?: string }) => err,
    );

  test('a settled object that does not match ends the wait early, naming only its label', async () => {
    const verifier = new Verifier(kube, (op) => ops.push(op), 8_000, 300);
    await client.call(nodegroupRequests.create('wait-a', {}));
    await client.call(nodegroupRequests.bind('node', 'wait-a', 'worker-2'));
    await verifier.until(labelWait('wait-a'), (n) => n?.metadata.labels?.[LABEL] === 'wait-a');
    const started = performance.now();
    const err = await failure(
      verifier.until(labelWait('elsewhere'), (n) => n?.metadata.labels?.[LABEL] === 'elsewhere'),
    );
    const ms = performance.now() - started;
    assert.ok(ms < 4_000, `the wait took ${Math.round(ms)} ms of its 8000 ms deadline`);
    assert.equal(err.code, 'RUNBOOK_VERIFY');
    assert.equal(
      err.message,
      `expected node worker-2 with label ${LABEL}=elsewhere\n` +
        `last seen: label ${LABEL}=wait-a (settled: unchanged for 300 ms with nothing in flight, so waiting longer cannot help)\n` +
        'inspect: kubectl get nodes worker-2 -o yaml',
    );
    const wait = ops.at(-1);
    assert.ok(wait?.kind === 'wait' && !wait.ok && wait.settled === true, JSON.stringify(wait));
    assert.equal(wait.lastSeenField, `label ${LABEL}=wait-a`);
  });

  test('an object the runbook names that does not exist: a runbook error, early', async () => {
    const verifier = new Verifier(kube, () => {}, 8_000, 200);
    const err = await failure(
      verifier.until(
        {
          resource: 'node',
          name: 'wroker-3',
          description: 'node wroker-3 with label a=b',
          field: ['metadata', 'labels', 'a'],
        },
        (n) => n?.metadata.labels?.['a'] === 'b',
      ),
    );
    assert.equal(err.code, 'RUNBOOK_TARGET_NOT_FOUND');
    assert.match(
      err.message,
      /^expected node wroker-3 with label a=b, but node wroker-3 does not exist \(still absent after \d+ ms\); check the name\n/,
    );
  });

  test('a change in flight is waited for: the bind intent on the node keeps the wait going until the controller applies it', async () => {
    const settleMs = 150;
    const verifier = new Verifier(kube, () => {}, 8_000, settleMs);
    await client.call(nodegroupRequests.create('wait-b', {}));
    sandbox.faults.set('controller-paused', {});
    await client.call(nodegroupRequests.bind('node', 'wait-b', 'worker-1'));
    const held = verifier.until(
      { ...labelWait('wait-b'), name: 'worker-1', description: `node worker-1 with label ${LABEL}=wait-b` },
      (n) => n?.metadata.labels?.[LABEL] === 'wait-b',
    );
    // What is tested is time passing: the wait outlives its settle window four times over while the
    // intent is in flight (not a wait for a condition, which is what the Verifier itself does).
    await new Promise((resolve) => setTimeout(resolve, 4 * settleMs));
    sandbox.faults.remove('controller-paused');
    const node = await held;
    assert.equal(node?.metadata.labels?.[LABEL], 'wait-b');
  });

  test('at the deadline, an object still terminating is a stuck controller, with its one field', async () => {
    const verifier = new Verifier(kube, () => {}, 700, 100);
    await client.call(nodegroupRequests.create('wait-c', {}));
    await verifier.until(
      { resource: 'nodegroup', name: 'wait-c', description: 'wait-c active', field: ['status', 'state'] },
      (g) => (g?.['status'] as { state?: string } | undefined)?.state === 'active',
    );
    sandbox.faults.set('stuck-finalizer', { nodegroup: 'wait-c' });
    await client.call(nodegroupRequests.delete('wait-c'));
    const started = performance.now();
    const err = await failure(
      verifier.until(
        {
          resource: 'nodegroup',
          name: 'wait-c',
          description: 'nodegroup wait-c gone',
          field: ['metadata', 'finalizers'],
        },
        (g) => !g,
      ),
    );
    assert.ok(performance.now() - started >= 650, 'a stuck object gets the whole deadline');
    assert.equal(err.code, 'RUNBOOK_STUCK');
    assert.match(
      err.message,
      /^wait expired: nodegroup wait-c gone did not come about within 700 ms; nodegroup wait-c is still terminating/,
    );
    assert.match(
      err.message,
      /\nlast seen: metadata\.finalizers=\["finalizers\.nodegroups\.kubesphere\.io"\]\n/,
    );
    sandbox.faults.remove('stuck-finalizer');
  });
});
