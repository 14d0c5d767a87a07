import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/sandbox/store/object';
import { labelMatcher, parseLabelSelector } from '../../src/sandbox/store/selectors';
import { StatusError } from '../../src/sandbox/store/status';
import { ObjectStore, type WatchEvent } from '../../src/sandbox/store/store';

const node = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { name, labels },
});

function storeWithNodes(...names: [string, Record<string, string>?][]): ObjectStore {
  const store = new ObjectStore();
  for (const [name, labels] of names) store.create('nodes', node(name, labels));
  return store;
}

const statusOf = (fn: () => unknown): { code: number; reason: string; message: string } => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${err}`);
    return { code: err.code, reason: err.reason, message: err.message };
  }
  assert.fail('expected the call to throw');
};

describe('object store: versions and identity', () => {
  it('stamps uid, creationTimestamp, generation, kind and a rising resourceVersion on every write', () => {
    const store = new ObjectStore();
    const a = store.create('nodes', node('a'));
    const b = store.create('nodes', node('b'));
    assert.match(a.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(a.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(a.kind, 'Node');
    assert.equal(a.apiVersion, 'v1');
    assert.equal(a.metadata.generation, undefined, 'the apiserver keeps no generation for nodes');
    assert.equal(store.create('nodegroups', { metadata: { name: 'g' } }).metadata.generation, 1);
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    const updated = store.update('nodes', { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    assert.ok(Number(updated.metadata.resourceVersion) > Number(b.metadata.resourceVersion));
    assert.equal(updated.metadata.uid, a.metadata.uid);
    assert.equal(store.resourceVersion, updated.metadata.resourceVersion);
  });

  it('hands out copies: mutating a returned object changes nothing stored', () => {
    const store = storeWithNodes(['a', { k: 'v' }]);
    const copy = store.get('nodes', undefined, 'a');
    copy.metadata.labels!['k'] = 'changed';
    assert.equal(store.get('nodes', undefined, 'a').metadata.labels!['k'], 'v');
  });

  it('generates names from generateName', () => {
    const store = new ObjectStore();
    const obj = store.create('nodes', { metadata: { generateName: 'edge-' } });
    assert.match(obj.metadata.name ?? '', /^edge-[0-9a-f]{5}$/);
  });

  it('bumps generation only when spec changes, on kinds that keep one', () => {
    const store = new ObjectStore();
    const a = store.create('nodegroups', { metadata: { name: 'a' }, spec: { alias: 'x' } });
    const labelled = store.update('nodegroups', { ...a, metadata: { ...a.metadata, labels: { x: '1' } } });
    assert.equal(labelled.metadata.generation, 1);
    const respecced = store.update('nodegroups', { ...labelled, spec: { alias: 'y' } });
    assert.equal(respecced.metadata.generation, 2);
    const node = store.create('nodes', { metadata: { name: 'n' }, spec: { unschedulable: false } });
    const changed = store.update('nodes', { ...node, spec: { unschedulable: true } });
    assert.equal(changed.metadata.generation, undefined);
  });

  it('stores no empty labels, annotations, finalizers or owner references (omitempty)', () => {
    const store = new ObjectStore();
    const a = store.create('nodes', { metadata: { name: 'a', labels: {}, annotations: {}, finalizers: [] } });
    assert.deepEqual(Object.keys(a.metadata).sort(), ['creationTimestamp', 'name', 'resourceVersion', 'uid']);
  });

  it('writes nothing for a no-op update', () => {
    const store = storeWithNodes(['a']);
    const before = store.get('nodes', undefined, 'a');
    const after = store.update('nodes', before);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });
});

describe('object store: errors', () => {
  it('409 AlreadyExists on a duplicate name, 404 NotFound on a missing one', () => {
    const store = storeWithNodes(['a']);
    assert.deepEqual(
      statusOf(() => store.create('nodes', node('a'))),
      {
        code: 409,
        reason: 'AlreadyExists',
        message: 'nodes "a" already exists',
      },
    );
    assert.equal(
      statusOf(() => store.get('nodegroups', undefined, 'x')).message,
      'nodegroups.infra.kubesphere.io "x" not found',
    );
  });

  it('409 Conflict on a stale resourceVersion, and the object stays as it was', () => {
    const store = storeWithNodes(['a']);
    const v1 = store.get('nodes', undefined, 'a');
    store.update('nodes', { ...v1, metadata: { ...v1.metadata, labels: { by: 'first' } } });
    const stale = { ...v1, metadata: { ...v1.metadata, labels: { by: 'second' } } };
    const err = statusOf(() => store.update('nodes', stale));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.match(err.message, /the object has been modified/);
    assert.equal(store.get('nodes', undefined, 'a').metadata.labels!['by'], 'first');
  });

  it('422 Invalid for a bad name, label key or label value, and nothing is stored', () => {
    const store = new ObjectStore();
    assert.equal(statusOf(() => store.create('nodes', node('Bad_Name'))).code, 422);
    assert.match(
      statusOf(() => store.create('nodes', node('ok', { 'bad key!': 'v' }))).message,
      /metadata.labels/,
    );
    assert.match(
      statusOf(() => store.create('nodes', node('ok', { k: 'spaces are bad' }))).message,
      /Invalid value/,
    );
    assert.equal(statusOf(() => store.create('namespaces', { metadata: { name: 'a.b' } })).code, 422);
    assert.equal(store.list('nodes').items.length, 0);
  });

  it('404 for a namespaced object in a namespace that does not exist', () => {
    const store = new ObjectStore();
    const err = statusOf(() => store.create('configmaps', { metadata: { name: 'c', namespace: 'nope' } }));
    assert.equal(err.code, 404);
    assert.match(err.message, /namespaces "nope" not found/);
  });
});

describe('object store: finalizers', () => {
  it('an object with finalizers gets deletionTimestamp and stays until an update empties them', () => {
    const store = new ObjectStore();
    store.create('nodegroups', { metadata: { name: 'g', finalizers: ['f.example.com'] }, spec: {} });
    const deleting = store.delete('nodegroups', undefined, 'g');
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.ok(store.has('nodegroups', undefined, 'g'));
    // a second delete changes nothing; deletionTimestamp cannot be cleared by an update
    store.delete('nodegroups', undefined, 'g');
    const cur = store.get('nodegroups', undefined, 'g');
    store.update('nodegroups', { ...cur, metadata: { ...cur.metadata, deletionTimestamp: undefined } });
    assert.equal(
      store.get('nodegroups', undefined, 'g').metadata.deletionTimestamp,
      deleting.metadata.deletionTimestamp,
    );
    store.mutate('nodegroups', undefined, 'g', (obj) => {
      obj.metadata.finalizers = [];
      return true;
    });
    assert.equal(store.has('nodegroups', undefined, 'g'), false);
  });

  it('an object without finalizers goes at once', () => {
    const store = storeWithNodes(['a']);
    store.delete('nodes', undefined, 'a');
    assert.equal(store.has('nodes', undefined, 'a'), false);
  });
});

describe('object store: selectors', () => {
  const store = storeWithNodes(
    ['a', { tier: 'edge', zone: 'z1' }],
    ['b', { tier: 'edge', zone: 'z2' }],
    ['c', { tier: 'core' }],
    ['d', {}],
  );
  const names = (labelSelector?: string, fieldSelector?: string) =>
    store
      .list('nodes', { labelSelector, fieldSelector })
      .items.map((o) => o.metadata.name)
      .sort();

  it('supports =, ==, !=, in, notin, exists and !exists', () => {
    assert.deepEqual(names('tier=edge'), ['a', 'b']);
    assert.deepEqual(names('tier==core'), ['c']);
    assert.deepEqual(names('tier!=edge'), ['c', 'd']);
    assert.deepEqual(names('zone in (z1, z3)'), ['a']);
    assert.deepEqual(names('zone notin (z1)'), ['b', 'c', 'd']);
    assert.deepEqual(names('zone'), ['a', 'b']);
    assert.deepEqual(names('!zone'), ['c', 'd']);
    assert.deepEqual(names('tier=edge,zone=z2'), ['b']);
  });

  it('supports field selectors on metadata.name and metadata.namespace', () => {
    assert.deepEqual(names(undefined, 'metadata.name=c'), ['c']);
    assert.deepEqual(names(undefined, 'metadata.name!=c'), ['a', 'b', 'd']);
    assert.deepEqual(names('tier=edge', 'metadata.name=a'), ['a']);
  });

  it('supports the per-kind fields kubectl describe asks for (pods, events, nodes)', () => {
    const s = new ObjectStore();
    s.create('namespaces', { metadata: { name: 'ns' } });
    s.create('pods', {
      metadata: { name: 'on-a', namespace: 'ns' },
      spec: { nodeName: 'a' },
      status: { phase: 'Running' },
    });
    s.create('pods', {
      metadata: { name: 'done', namespace: 'ns' },
      spec: { nodeName: 'a' },
      status: { phase: 'Succeeded' },
    });
    s.create('pods', {
      metadata: { name: 'on-b', namespace: 'ns' },
      spec: { nodeName: 'b' },
      status: { phase: 'Running' },
    });
    const pods = (fieldSelector: string) =>
      s.list('pods', { fieldSelector }).items.map((o) => o.metadata.name);
    assert.deepEqual(pods('spec.nodeName=a,status.phase!=Succeeded,status.phase!=Failed'), ['on-a']);
    s.create('events', {
      metadata: { name: 'e1', namespace: 'ns' },
      involvedObject: { kind: 'Node', name: 'a', uid: 'u-1' },
      reason: 'NodeBound',
      type: 'Normal',
      source: { component: 'nodegroup-controller-manager' },
    });
    const events = (fieldSelector: string) => s.list('events', { fieldSelector }).items.length;
    assert.equal(events('involvedObject.kind=Node,involvedObject.name=a,involvedObject.uid=u-1'), 1);
    assert.equal(events('involvedObject.name=b'), 0);
    assert.equal(events('reason=NodeBound,type=Normal,source=nodegroup-controller-manager'), 1);
    s.create('nodes', { metadata: { name: 'cordoned' }, spec: { unschedulable: true } });
    s.create('nodes', { metadata: { name: 'open' } });
    const nodes = (fieldSelector: string) =>
      s.list('nodes', { fieldSelector }).items.map((o) => o.metadata.name);
    assert.deepEqual(nodes('spec.unschedulable=false'), ['open']);
    assert.deepEqual(nodes('spec.unschedulable=true'), ['cordoned']);
    assert.match(
      statusOf(() => nodes('spec.nodeName=a')).message,
      /field label not supported: spec.nodeName \(supported for nodes: /,
    );
  });

  it('rejects malformed selectors with 400 and a message naming the problem', () => {
    assert.match(statusOf(() => parseLabelSelector('tier in (a')).message, /unable to parse requirement/);
    assert.equal(statusOf(() => names('bad key!=x')).code, 400);
    assert.match(statusOf(() => names(undefined, 'spec.x=1')).message, /field label not supported: spec.x/);
    // a name Object.prototype carries is no field either
    assert.match(statusOf(() => names(undefined, 'constructor=x')).message, /field label not supported/);
  });

  it('filters namespaced lists by namespace', () => {
    const s = new ObjectStore();
    s.create('namespaces', { metadata: { name: 'one' } });
    s.create('namespaces', { metadata: { name: 'two' } });
    s.create('configmaps', { metadata: { name: 'c', namespace: 'one' } });
    s.create('configmaps', { metadata: { name: 'c', namespace: 'two' } });
    assert.equal(s.list('configmaps', { namespace: 'one' }).items.length, 1);
    assert.equal(s.list('configmaps').items.length, 2);
    assert.deepEqual(
      s
        .list('configmaps', { fieldSelector: 'metadata.namespace=two' })
        .items.map((o) => o.metadata.namespace),
      ['two'],
    );
  });
});

describe('object store: label index', () => {
  /** What a full scan answers: the unfiltered list (table order) filtered by the selector. */
  const scanned = (store: ObjectStore, selector: string) =>
    store
      .list('nodes')
      .items.filter(labelMatcher(selector))
      .map((o) => o.metadata.name);
  const listed = (store: ObjectStore, selector: string) =>
    store.list('nodes', { labelSelector: selector }).items.map((o) => o.metadata.name);
  const selectors = [
    'pick=yes',
    'pick==yes',
    'pick in (yes, also, yes)',
    'pick=yes,zone=z1',
    'pick=yes,zone!=z1',
    'pick in (also),tier',
    'pick=never',
    'zone=z1',
  ];

  function bigStore(): ObjectStore {
    const store = new ObjectStore();
    for (let i = 0; i < 40; i++) {
      const labels: Record<string, string> = { zone: `z${i % 3}` };
      if (i % 8 === 0) labels.pick = 'yes';
      if (i % 13 === 0) labels.pick = 'also';
      if (i % 2 === 0) labels.tier = 'edge';
      store.create('nodes', node(`n-${String(i).padStart(2, '0')}`, labels));
    }
    return store;
  }

  it('answers narrowing selectors as a full scan would, in the same order', () => {
    const store = bigStore();
    assert.deepEqual(listed(store, 'pick=yes'), ['n-08', 'n-16', 'n-24', 'n-32']);
    for (const selector of selectors)
      assert.deepEqual(listed(store, selector), scanned(store, selector), selector);
  });

  it('follows relabels, deletes, finalizers and load', () => {
    const store = bigStore();
    assert.deepEqual(listed(store, 'pick=yes'), ['n-08', 'n-16', 'n-24', 'n-32']); // builds the index
    // n-05 gains the label, n-16 loses it, n-24 changes value: order stays the table's
    store.mutate('nodes', undefined, 'n-05', (n) => {
      n.metadata.labels = { ...n.metadata.labels, pick: 'yes' };
    });
    store.mutate('nodes', undefined, 'n-16', (n) => {
      delete n.metadata.labels?.pick;
    });
    store.mutate('nodes', undefined, 'n-24', (n) => {
      n.metadata.labels = { ...n.metadata.labels, pick: 'also' };
    });
    store.delete('nodes', undefined, 'n-32');
    store.create('nodes', node('n-32', { pick: 'yes' })); // back, now last in the table
    store.create('nodes', { metadata: { name: 'held', labels: { pick: 'yes' }, finalizers: ['x/y'] } });
    store.delete('nodes', undefined, 'held'); // stays, with deletionTimestamp
    assert.deepEqual(listed(store, 'pick=yes'), ['n-05', 'n-08', 'n-32', 'held']);
    store.mutate('nodes', undefined, 'held', (n) => {
      n.metadata.finalizers = [];
    });
    assert.deepEqual(listed(store, 'pick=yes'), ['n-05', 'n-08', 'n-32']);
    for (const selector of selectors)
      assert.deepEqual(listed(store, selector), scanned(store, selector), selector);

    const copy = new ObjectStore();
    copy.load(store.dump());
    for (const selector of selectors)
      assert.deepEqual(listed(copy, selector), scanned(store, selector), selector);
    copy.load({ resourceVersion: 0, objects: {} });
    assert.deepEqual(listed(copy, 'pick=yes'), []);
  });

  it('narrows namespaced lists too', () => {
    const s = new ObjectStore();
    for (const ns of ['one', 'two']) s.create('namespaces', { metadata: { name: ns } });
    for (let i = 0; i < 10; i++) {
      for (const ns of ['one', 'two'])
        s.create('configmaps', {
          metadata: { name: `c${i}`, namespace: ns, labels: { hot: String(i === 3) } },
        });
    }
    const hot = (namespace?: string) =>
      s
        .list('configmaps', { namespace, labelSelector: 'hot=true' })
        .items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    assert.deepEqual(hot(), ['one/c3', 'two/c3']);
    assert.deepEqual(hot('two'), ['two/c3']);
  });
});

describe('object store: watch', () => {
  it('delivers live events matching the selector', () => {
    const store = storeWithNodes(['a', { tier: 'edge' }]);
    const seen: string[] = [];
    const stop = store.watch('nodes', { labelSelector: 'tier=edge' }, (e) =>
      seen.push(`${e.type} ${e.object.metadata.name}`),
    );
    store.create('nodes', node('b', { tier: 'edge' }));
    store.create('nodes', node('c', { tier: 'core' }));
    store.delete('nodes', undefined, 'a');
    stop();
    store.create('nodes', node('d', { tier: 'edge' }));
    assert.deepEqual(seen, ['ADDED b', 'DELETED a']);
  });

  it('resumes from a resourceVersion, replaying what happened after it', () => {
    const store = storeWithNodes(['a']);
    const from = store.resourceVersion;
    store.create('nodes', node('b'));
    store.mutate('nodes', undefined, 'a', (o) => {
      o.metadata.labels = { changed: 'yes' };
      return true;
    });
    const seen: WatchEvent[] = [];
    const stop = store.watch('nodes', { resourceVersion: from }, (e) => seen.push(e));
    stop();
    assert.deepEqual(
      seen.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
      ],
    );
    assert.ok(seen.every((e) => e.resourceVersion > Number(from)));
  });

  it('answers 410 Gone for a resourceVersion older than the kept history', () => {
    const store = new ObjectStore(3);
    const start = store.resourceVersion;
    for (const n of ['a', 'b', 'c', 'd', 'e']) store.create('nodes', node(n));
    const err = statusOf(() =>
      store.watch('nodes', { resourceVersion: String(Number(start) + 1) }, () => {}),
    );
    assert.equal(err.code, 410);
    assert.match(err.message, /too old resource version/);
    // a version still in history works
    const recent: string[] = [];
    store.watch('nodes', { resourceVersion: String(Number(store.resourceVersion) - 1) }, (e) =>
      recent.push(e.object.metadata.name ?? ''),
    )();
    assert.deepEqual(recent, ['e']);
  });

  it('rejects a non-numeric resourceVersion with 400', () => {
    const store = new ObjectStore();
    assert.equal(statusOf(() => store.watch('nodes', { resourceVersion: 'abc' }, () => {})).code, 400);
  });
});

describe('object store: dump and load', () => {
  it('round-trips content and never moves the version backwards', () => {
    const store = storeWithNodes(['a', { k: 'v' }], ['b']);
    const dump = store.dump();
    const other = new ObjectStore();
    other.create('nodes', node('x'));
    other.load(JSON.parse(JSON.stringify(dump)));
    assert.deepEqual(
      other
        .list('nodes')
        .items.map((o) => o.metadata.name)
        .sort(),
      ['a', 'b'],
    );
    assert.equal(other.get('nodes', undefined, 'a').metadata.labels!['k'], 'v');
    assert.ok(Number(other.resourceVersion) >= dump.resourceVersion);
  });
});
