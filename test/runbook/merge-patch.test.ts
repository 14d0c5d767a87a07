/** The edits of kubectl actions computed locally, and the merge patches that undo them. */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { NODE_GROUP_LABEL } from '../../src/constants';
import type { KubeObject } from '../../src/kube/reader';
import { applyEdit, holdsMergePatch, mergeDiff, mergePatch, VerifyError } from '../../src/runbook';

describe('edits and the merge patches that undo them', () => {
  const node: KubeObject = {
    metadata: { name: 'w1', labels: { [NODE_GROUP_LABEL]: 'g1', keep: 'x' }, finalizers: ['f1'] },
    spec: { unschedulable: false },
  };

  test('the restore patch of an edit, applied to the edited object, gives back the object', () => {
    for (const edit of [
      { type: 'labels', set: { [NODE_GROUP_LABEL]: null, added: 'y' } },
      { type: 'annotations', set: { note: 'n' } },
      { type: 'json-patch', operations: [{ op: 'remove', path: '/metadata/finalizers/0' }] },
      { type: 'merge-patch', patch: { spec: { unschedulable: true } } },
    ] as const) {
      const after = applyEdit(node, edit as never);
      assert.notDeepEqual(after, node, edit.type);
      const restore = mergeDiff(after, node);
      assert.deepEqual(mergePatch(after, restore), node, edit.type);
      assert.ok(holdsMergePatch(node, restore) && !holdsMergePatch(after, restore), edit.type);
      assert.ok(holdsMergePatch(after, mergeDiff(node, after)), edit.type);
    }
    assert.deepEqual(mergeDiff(node, structuredClone(node)), {}, 'no edit, nothing to restore');
  });

  test('a JSON Patch whose test fails does not apply, and says to diagnose again', () => {
    assert.throws(
      () =>
        applyEdit(node, {
          type: 'json-patch',
          operations: [{ op: 'test', path: '/metadata/finalizers/0', value: 'other' }],
        }),
      (err: unknown) => err instanceof VerifyError && /diagnose again/.test(err.message),
    );
  });

  test('holdsMergePatch reads null as "absent"', () => {
    assert.ok(holdsMergePatch(node, { metadata: { labels: { gone: null } } }));
    assert.ok(!holdsMergePatch(node, { metadata: { labels: { keep: null } } }));
  });
});
