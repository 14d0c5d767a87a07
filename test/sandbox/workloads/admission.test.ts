/** The PodNodeSelector admission: selector parsing, the merge, the conflict rule and its message. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { NODE_SELECTOR_ANNOTATION } from '../../../src/constants';
import type { KubeObject } from '../../../src/sandbox/store/object';
import { StatusError } from '../../../src/sandbox/store/status';
import { ObjectStore } from '../../../src/sandbox/store/store';
import { admitPod, CONFLICT_MESSAGE, workloadAdmission } from '../../../src/sandbox/workloads/admission';
import { selectorMap } from '../../../src/sandbox/workloads/node-selector';

const namespace = (selector?: string): KubeObject => ({
  metadata: {
    name: 'apps',
    ...(selector === undefined ? {} : { annotations: { [NODE_SELECTOR_ANNOTATION]: selector } }),
  },
});
const pod = (nodeSelector?: Record<string, string>, name = 'web'): KubeObject => ({
  metadata: { name, namespace: 'apps' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeSelector ? { nodeSelector } : {}) },
});
const selectorOf = (p: KubeObject) => (p.spec as { nodeSelector?: Record<string, string> }).nodeSelector;

describe('the namespace node selector', () => {
  test('is read as a map of key=value terms, blanks around them ignored', () => {
    assert.deepEqual(selectorMap('a=b, c.io/d = e'), { a: 'b', 'c.io/d': 'e' });
    assert.deepEqual(selectorMap(''), {});
  });

  test('a term without exactly one = is refused, naming it', () => {
    assert.throws(() => selectorMap('a=b,zone'), /invalid selector: zone/);
    assert.throws(() => selectorMap('a=b=c'), /invalid selector: a=b=c/);
  });

  test('an unreadable annotation is a 500 naming the namespace', () => {
    assert.throws(
      () => admitPod(namespace('zone'), pod()),
      (err: unknown) => err instanceof StatusError && err.code === 500 && /namespace apps/.test(err.message),
    );
  });
});

describe('admitting a pod', () => {
  test("merges the namespace's selector into the pod's", () => {
    const admitted = admitPod(namespace('apps.edgewize.io/nodegroup=g1'), pod({ disk: 'ssd' }));
    assert.deepEqual(selectorOf(admitted), { 'apps.edgewize.io/nodegroup': 'g1', disk: 'ssd' });
  });

  test('a pod already asking for the same value is admitted unchanged', () => {
    const admitted = admitPod(namespace('zone=a'), pod({ zone: 'a' }));
    assert.deepEqual(selectorOf(admitted), { zone: 'a' });
  });

  test('a namespace without the annotation adds nothing', () => {
    assert.equal(selectorOf(admitPod(namespace(), pod())), undefined);
  });

  test('a pod selector giving a namespace key another value is refused with the plugin message', () => {
    assert.throws(
      () => admitPod(namespace('apps.edgewize.io/nodegroup=g1'), pod({ 'apps.edgewize.io/nodegroup': 'g2' })),
      (err: unknown) =>
        err instanceof StatusError &&
        err.code === 403 &&
        err.reason === 'Forbidden' &&
        err.message === `pods "web" is forbidden: ${CONFLICT_MESSAGE}`,
    );
  });

  test('a generated name is named by its prefix in the refusal', () => {
    const p = pod({ zone: 'b' }, '');
    p.metadata.generateName = 'web-5d8f-';
    assert.throws(() => admitPod(namespace('zone=a'), p), /pods "web-5d8f-" is forbidden/);
  });

  test('the REST hook admits pods only, against their namespace in the store', () => {
    const store = new ObjectStore();
    store.create('namespaces', namespace('zone=a'));
    const admit = workloadAdmission(store);
    const p = pod();
    admit('pods', p);
    assert.deepEqual(selectorOf(p), { zone: 'a' });
    const cm: KubeObject = { metadata: { name: 'x', namespace: 'apps' }, spec: {} };
    admit('configmaps', cm);
    assert.deepEqual(cm.spec, {});
  });
});
