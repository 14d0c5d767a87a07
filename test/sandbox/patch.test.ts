import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatchText, patchTypeOf } from '../../src/sandbox/http/patch';
import { KINDS, kindByResource } from '../../src/sandbox/store/kinds';
import { StatusError } from '../../src/sandbox/store/status';

const pod = () => ({
  metadata: { name: 'p', labels: { app: 'a', tier: 'web' }, finalizers: ['a/b'] },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'app:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        args: ['--x'],
      },
      { name: 'sidecar', image: 'side:1' },
    ],
    tolerations: [{ key: 't1' }],
  },
});

const statusOf = (fn: () => unknown): { code: number; reason: string; message: string } => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the patch to fail');
};

describe('JSON Patch', () => {
  it('applies operations in order', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify([
        { op: 'test', path: '/metadata/name', value: 'p' },
        { op: 'add', path: '/metadata/labels/new', value: 'x' },
        { op: 'remove', path: '/metadata/labels/tier' },
        { op: 'replace', path: '/spec/containers/0/image', value: 'app:2' },
      ]),
      'json',
    );
    assert.deepEqual(out.metadata.labels, { app: 'a', new: 'x' });
    assert.equal(out.spec.containers[0]?.image, 'app:2');
  });

  it('fails a whole patch with 422 when a test fails, leaving the input untouched', () => {
    const input = pod();
    const err = statusOf(() =>
      applyPatchText(
        input,
        JSON.stringify([
          { op: 'add', path: '/metadata/labels/new', value: 'x' },
          { op: 'test', path: '/metadata/name', value: 'other' },
        ]),
        'json',
      ),
    );
    assert.equal(err.code, 422);
    assert.match(err.message, /operation 1 \(test \/metadata\/name\).*test failed/);
    assert.deepEqual(input, pod());
  });

  it('answers 422 for a path that does not exist', () => {
    const err = statusOf(() => applyPatchText(pod(), '[{"op":"remove","path":"/spec/nothing"}]', 'json'));
    assert.equal(err.code, 422);
    assert.match(err.message, /remove \/spec\/nothing/);
  });

  it('answers 400 for a body that is not an array, malformed JSON or an unknown op', () => {
    assert.equal(statusOf(() => applyPatchText(pod(), '{"op":"add"}', 'json')).code, 400);
    assert.equal(
      statusOf(() => applyPatchText(pod(), '{"op":"add"}', 'json')).message,
      'a JSON Patch must be a JSON array of operations, got an object',
    );
    assert.match(statusOf(() => applyPatchText(pod(), '"x"', 'json')).message, /got a string$/);
    assert.equal(statusOf(() => applyPatchText(pod(), '[{"op":', 'json')).code, 400);
    assert.equal(statusOf(() => applyPatchText(pod(), '[{"op":"frob","path":"/a"}]', 'json')).code, 400);
    assert.equal(statusOf(() => applyPatchText(pod(), '  ', 'json')).code, 400);
  });
});

describe('JSON merge patch', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify({
        metadata: { labels: { tier: null, x: 'y' } },
        spec: { tolerations: [{ key: 't2' }] },
      }),
      'merge',
    );
    assert.deepEqual(out.metadata.labels, { app: 'a', x: 'y' });
    assert.deepEqual(out.spec.tolerations, [{ key: 't2' }]);
    assert.equal(out.spec.containers.length, 2);
  });

  it('refuses a body that is not an object', () => {
    assert.equal(statusOf(() => applyPatchText(pod(), '[1]', 'merge')).code, 400);
  });
});

describe('strategic merge patch', () => {
  it('merges containers, env and ports by their merge keys', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify({
        spec: {
          containers: [
            {
              name: 'app',
              image: 'app:2',
              env: [
                { name: 'B', value: '3' },
                { name: 'C', value: '4' },
              ],
            },
            { name: 'new', image: 'new:1' },
          ],
        },
      }),
      'strategic',
    );
    const [app, sidecar, added] = out.spec.containers;
    assert.equal(app?.image, 'app:2');
    assert.deepEqual(app?.env, [
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    assert.deepEqual(app?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(app?.args, ['--x']);
    assert.equal(sidecar?.name, 'sidecar');
    assert.deepEqual(added, { name: 'new', image: 'new:1' });
  });

  it('adds a port by containerPort and replaces lists without a merge key', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify({
        spec: {
          containers: [{ name: 'app', ports: [{ containerPort: 443 }], args: ['--y'] }],
          tolerations: [],
        },
      }),
      'strategic',
    );
    assert.deepEqual(out.spec.containers[0]?.ports, [
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 443 },
    ]);
    assert.deepEqual(out.spec.containers[0]?.args, ['--y']);
    assert.deepEqual(out.spec.tolerations, []);
  });

  it('honours $patch delete and replace, in maps and lists', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify({
        metadata: { labels: { $patch: 'replace', only: 'this' } },
        spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] },
      }),
      'strategic',
    );
    assert.deepEqual(out.metadata.labels, { only: 'this' });
    assert.deepEqual(
      out.spec.containers.map((c) => c.name),
      ['app'],
    );
    const replaced = applyPatchText(
      pod(),
      JSON.stringify({ spec: { containers: [{ name: 'solo', image: 's' }, { $patch: 'replace' }] } }),
      'strategic',
    );
    assert.deepEqual(replaced.spec.containers, [{ name: 'solo', image: 's' }]);
    const deleted = applyPatchText(pod(), JSON.stringify({ spec: { $patch: 'delete' } }), 'strategic');
    assert.equal((deleted as { spec?: unknown }).spec, undefined);
  });

  it('ignores $setElementOrder and merges finalizers as a set', () => {
    const out = applyPatchText(
      pod(),
      JSON.stringify({
        metadata: { finalizers: ['c/d', 'a/b'] },
        spec: { $setElementOrder: {}, '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] },
      }),
      'strategic',
    );
    assert.deepEqual(out.metadata.finalizers, ['a/b', 'c/d']);
    assert.equal(out.spec.containers[0]?.name, 'app');
    const removed = applyPatchText(
      pod(),
      JSON.stringify({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a/b'] } }),
      'strategic',
    );
    assert.deepEqual(removed.metadata.finalizers, []);
  });

  it('refuses an unknown directive and a keyed element without its key', () => {
    assert.equal(statusOf(() => applyPatchText(pod(), '{"spec":{"$patch":"frob"}}', 'strategic')).code, 400);
    assert.match(
      statusOf(() => applyPatchText(pod(), '{"spec":{"containers":[{"image":"x"}]}}', 'strategic')).message,
      /no merge key "name"/,
    );
  });
});

describe('patch content types', () => {
  const nodes = kindByResource('nodes');
  const nodegroups = kindByResource('nodegroups');

  it('maps the three patch media types', () => {
    assert.equal(patchTypeOf('application/json-patch+json', nodes), 'json');
    assert.equal(patchTypeOf('application/merge-patch+json', nodegroups), 'merge');
    assert.equal(patchTypeOf('application/strategic-merge-patch+json', nodes), 'strategic');
  });

  it('answers 415 for other types, apply patches, and strategic patches of custom kinds', () => {
    assert.equal(statusOf(() => patchTypeOf('application/json', nodes)).code, 415);
    assert.equal(statusOf(() => patchTypeOf('', nodes)).code, 415);
    assert.match(
      statusOf(() => patchTypeOf('application/apply-patch+yaml', nodes)).message,
      /server-side apply/,
    );
    const err = statusOf(() => patchTypeOf('application/strategic-merge-patch+json', nodegroups));
    assert.equal(err.code, 415);
    assert.equal(
      err.message,
      'strategic merge patch is not supported for infra.kubesphere.io/NodeGroup; use application/merge-patch+json or application/json-patch+json',
    );
  });

  it('takes strategic merge for exactly the built-in kinds', () => {
    for (const kind of KINDS) {
      const builtIn = kind.group === '' || kind.group === 'apps' || kind.group === 'discovery.k8s.io';
      assert.equal(kind.strategicMerge, builtIn, kind.resource);
    }
  });
});
