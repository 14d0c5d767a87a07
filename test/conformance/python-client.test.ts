/**
 * Conformance with the official Kubernetes Python client (Debian python3-kubernetes, installed by
 * .ci/run): test/conformance/python_client.py drives the sandbox through the typed API, as a
 * user's script would, with the kubeconfig the sandbox writes.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KAPI_PREFIX } from '../../src/constants';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox';
import { accessToken } from '../sandbox-http';

const SCRIPT = join(__dirname, '..', '..', '..', 'test', 'conformance', 'python_client.py');
const PYTHON = '/usr/bin/python3';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
  const token = await accessToken(sandbox.url, sandbox.username, sandbox.password);
  await fetch(`${sandbox.url}${KAPI_PREFIX}/nodegroups/edge-a/nodes/edge-node-2`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const deadline = Date.now() + 10_000;
  while (!sandbox.store.list('events').items.some((e) => e.reason === 'NodeBound')) {
    assert.ok(Date.now() < deadline, 'the controller never bound the node');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});
after(() => sandbox.stop());

test('the official Python client: typed list/read/patch/watch of nodes, pods, namespaces, configmaps, deployments, events, services and NodeGroups', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) =>
      execFile(
        PYTHON,
        [SCRIPT],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: sandbox.kubeconfigPath },
          timeout: 120_000,
        },
        (err, out, errOut) =>
          resolve({
            code: err ? Number((err as { code?: number }).code ?? 1) : 0,
            stdout: out,
            stderr: errOut,
          }),
      ),
  );
  assert.equal(code, 0, `python client failed:\n${stdout}\n${stderr}`);
  for (const step of [
    'list nodes',
    'watch nodes',
    'read, patch, watch pods',
    'events: list, read, patch, watch',
    'services: list, read, patch, watch',
    'nodegroups (CustomObjectsApi): list, get, patch, watch',
  ])
    assert.match(stdout, new RegExp(`^ok ${step.replace(/[()]/g, '\\$&')}$`, 'm'));
});
