/**
 * `create-object` as an action: built from the object (apiVersion and kind from the resource),
 * described as the kubectl line an operator types, sent as the Kubernetes API's POST, and refused
 * with a clear error when the object does not name itself.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { describe as describeStep } from '../../src/actions/describe';
import { createObjectAction, createRequest, objectPath } from '../../src/runbook/actions/create-object';
import { describeChange } from '../../src/runbook/ledger/cleanup';

describe('the create-object action', () => {
  const pod = createObjectAction('pod', {
    metadata: { name: 'stray', namespace: 'apps' },
    spec: { nodeSelector: { 'apps.edgewize.io/nodegroup': "it's-b" } },
  });

  test('its parameters and body: named by the metadata, apiVersion and kind from the resource', () => {
    assert.equal(pod.op, 'create-object');
    assert.equal(pod.resource, 'pod');
    assert.equal(pod.name, 'stray');
    assert.equal(pod.namespace, 'apps');
    assert.equal(pod.body['apiVersion'], 'v1');
    assert.equal(pod.body['kind'], 'Pod');
    const ns = createObjectAction('namespace', { metadata: { name: 'accept-ns' } });
    assert.equal(ns.namespace, undefined);
    assert.equal(ns.body['kind'], 'Namespace');
  });

  test('described as kubectl create -f - with the object on standard input, quoted once', () => {
    const line = describeStep(pod);
    assert.ok(line.startsWith('kubectl create -f - <<< '), line);
    const quoted = line.slice('kubectl create -f - <<< '.length);
    // The shell's single quotes around the JSON, an embedded ' as '"'"'.
    const json = quoted.replace(/^'|'$/g, '').replaceAll(`'"'"'`, "'");
    assert.deepEqual(JSON.parse(json), pod.body);
    assert.equal(describeChange(pod), 'create-object pod apps/stray');
  });

  test("sent as the Kubernetes API's POST to the collection; the undo deletes the object's path", () => {
    assert.deepEqual(createRequest(pod), {
      method: 'POST',
      path: '/api/v1/namespaces/apps/pods',
      body: pod.body,
    });
    const d = createObjectAction('deployment', { metadata: { name: 'web', namespace: 'apps' } });
    assert.equal(createRequest(d).path, '/apis/apps/v1/namespaces/apps/deployments');
    assert.equal(objectPath('deployment', 'web', 'apps'), '/apis/apps/v1/namespaces/apps/deployments/web');
  });

  test('an object without a name, or a namespaced one without its namespace, is refused', () => {
    assert.throws(
      () => createObjectAction('namespace', { metadata: {} }),
      /a namespace to create needs metadata\.name/,
    );
    assert.throws(
      () => createObjectAction('pod', { metadata: { name: 'p' } }),
      /a pod to create needs metadata\.namespace/,
    );
  });
});
