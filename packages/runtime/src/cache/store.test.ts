import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { fakeObject } from '../watch/testing/fake-lister-watcher.ts';
import { indexByField, indexByLabel, indexByOwnerUid } from './indexers.ts';
import { CacheStore } from './store.ts';
import { NAMESPACE_INDEX } from './types.ts';

const obj = fakeObject;

describe('CacheStore reads', () => {
  it('keys objects by namespace/name, and cluster-scoped ones by name', () => {
    const store = new CacheStore<KubeObject>();
    store.apply('added', obj('a', '1', { namespace: 'ns1' }));
    store.apply('added', { metadata: { name: 'node-1', uid: 'n1', resourceVersion: '2' } });
    assert.deepEqual([...store.keys()].sort(), ['node-1', 'ns1/a']);
    assert.equal(store.get('ns1/a')?.metadata.name, 'a');
    assert.equal(store.has('node-1'), true);
    assert.equal(store.size, 2);
  });

  it('indexes by namespace out of the box', () => {
    const store = new CacheStore<KubeObject>();
    store.replace(
      [
        obj('a', '1', { namespace: 'x' }),
        obj('b', '1', { namespace: 'y' }),
        obj('c', '1', { namespace: 'x' }),
      ],
      true,
    );
    assert.deepEqual(
      store
        .byIndex(NAMESPACE_INDEX, 'x')
        .map((o) => o.metadata.name)
        .sort(),
      ['a', 'c'],
    );
    assert.deepEqual([...store.indexValues(NAMESPACE_INDEX)].sort(), ['x', 'y']);
  });

  it('rejects an unknown index with the names it knows', () => {
    const store = new CacheStore<KubeObject>();
    assert.throws(() => store.byIndex('byOwner', 'x'), /no index named "byOwner"; known indexes: namespace/);
  });

  it('indexes existing objects when an index is added later', () => {
    const store = new CacheStore<KubeObject>();
    store.apply('added', obj('a', '1', { labels: { app: 'web' } }));
    store.addIndexers({ app: indexByLabel('app') });
    assert.equal(store.byIndex('app', 'web').length, 1);
  });

  it('accepts the same index function twice but not another under the same name', () => {
    const byApp = indexByLabel('app');
    const store = new CacheStore<KubeObject>({ app: byApp });
    store.addIndexers({ app: byApp });
    assert.throws(
      () => store.addIndexers({ app: indexByLabel('app') }),
      /already exists with a different function/,
    );
  });

  it('offers owner UID and field index functions', () => {
    type Pod = KubeObject & { spec?: { node?: string } };
    const store = new CacheStore<Pod>({
      owner: indexByOwnerUid(),
      controller: indexByOwnerUid({ controllerOnly: true }),
      node: indexByField((o: Pod) => o.spec?.node),
    });
    const owned = {
      ...obj('pod', '1'),
      spec: { node: 'n1' },
      metadata: {
        ...obj('pod', '1').metadata,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'cm-uid' },
        ],
      },
    };
    store.apply('added', owned);
    assert.equal(store.byIndex('owner', 'cm-uid').length, 1);
    assert.equal(store.byIndex('controller', 'cm-uid').length, 0);
    assert.equal(store.byIndex('controller', 'rs-uid').length, 1);
    assert.equal(store.byIndex('node', 'n1').length, 1);
  });

  it('leaves an object out of an index whose function throws, and reports it', () => {
    const reported: string[] = [];
    const store = new CacheStore<KubeObject>(
      {
        boom: (o) => {
          if (o.metadata.name === 'bad') throw new Error('no');
          return ['v'];
        },
      },
      (index, o) => reported.push(`${index}:${o.metadata.name ?? ''}`),
    );
    store.replace([obj('good', '1'), obj('bad', '1')], true);
    assert.deepEqual(store.indexKeys('boom', 'v'), ['default/good']);
    assert.equal(store.size, 2);
    assert.deepEqual(reported, ['boom:bad']);
  });
});

describe('CacheStore.apply', () => {
  it('reports an add, then an update with the old state, then a delete', () => {
    const store = new CacheStore<KubeObject>();
    assert.deepEqual(store.apply('added', obj('a', '1')), [
      { type: 'add', object: obj('a', '1'), initial: false },
    ]);
    assert.deepEqual(store.apply('modified', obj('a', '2')), [
      { type: 'update', oldObject: obj('a', '1'), object: obj('a', '2') },
    ]);
    assert.deepEqual(store.apply('deleted', obj('a', '3')), [
      { type: 'delete', object: obj('a', '3'), finalStateUnknown: false },
    ]);
    assert.equal(store.size, 0);
  });

  it('ignores a change that repeats the stored resourceVersion', () => {
    const store = new CacheStore<KubeObject>();
    store.apply('added', obj('a', '1'));
    assert.deepEqual(store.apply('modified', obj('a', '1')), []);
  });

  it('turns a UID change under the same key into delete then add', () => {
    const store = new CacheStore<KubeObject>();
    store.apply('added', obj('a', '1', { uid: 'u1' }));
    const changes = store.apply('added', obj('a', '5', { uid: 'u2' }));
    assert.deepEqual(
      changes.map((c) => [c.type, c.object.metadata.uid]),
      [
        ['delete', 'u1'],
        ['add', 'u2'],
      ],
    );
    assert.equal(store.get('default/a')?.metadata.uid, 'u2');
  });

  it('ignores deletes of unknown objects or of an older UID', () => {
    const store = new CacheStore<KubeObject>();
    assert.deepEqual(store.apply('deleted', obj('a', '1')), []);
    store.apply('added', obj('a', '2', { uid: 'new' }));
    assert.deepEqual(store.apply('deleted', obj('a', '3', { uid: 'old' })), []);
    assert.equal(store.size, 1);
  });

  it('moves an object between index values when its labels change', () => {
    const store = new CacheStore<KubeObject>({ app: indexByLabel('app') });
    store.apply('added', obj('a', '1', { labels: { app: 'web' } }));
    store.apply('modified', obj('a', '2', { labels: { app: 'db' } }));
    assert.deepEqual(store.indexKeys('app', 'web'), []);
    assert.deepEqual(store.indexKeys('app', 'db'), ['default/a']);
    assert.deepEqual(store.indexValues('app'), ['db']);
  });
});

describe('CacheStore.replace', () => {
  it('reports vanished objects as deletes with their last known state, first', () => {
    const store = new CacheStore<KubeObject>();
    store.replace(
      [obj('keep', '1'), obj('gone', '7', { data: { last: 'state' } }), obj('change', '1')],
      true,
    );
    const changes = store.replace([obj('keep', '1'), obj('change', '2'), obj('new', '3')], false);
    assert.deepEqual(changes, [
      { type: 'delete', object: obj('gone', '7', { data: { last: 'state' } }), finalStateUnknown: true },
      { type: 'update', oldObject: obj('change', '1'), object: obj('change', '2') },
      { type: 'add', object: obj('new', '3'), initial: false },
    ]);
  });

  it('marks adds of the first list as initial', () => {
    const store = new CacheStore<KubeObject>();
    assert.deepEqual(store.replace([obj('a', '1')], true), [
      { type: 'add', object: obj('a', '1'), initial: true },
    ]);
  });

  it('keeps the identity of unchanged objects', () => {
    const store = new CacheStore<KubeObject>();
    const first = obj('a', '1');
    store.replace([first], true);
    store.replace([obj('a', '1')], false);
    assert.equal(store.get('default/a'), first);
  });

  it('sees a recreated object (same name, new UID) as delete then add', () => {
    const store = new CacheStore<KubeObject>();
    store.replace([obj('a', '1', { uid: 'u1' })], true);
    const changes = store.replace([obj('a', '9', { uid: 'u2' })], false);
    assert.deepEqual(
      changes.map((c) => [c.type, c.object.metadata.uid, c.type === 'delete' && c.finalStateUnknown]),
      [
        ['delete', 'u1', true],
        ['add', 'u2', false],
      ],
    );
  });

  it('rebuilds the indexes from the new content', () => {
    const store = new CacheStore<KubeObject>({ app: indexByLabel('app') });
    store.replace([obj('a', '1', { labels: { app: 'web' } })], true);
    store.replace([obj('b', '1', { labels: { app: 'db' } })], false);
    assert.deepEqual(store.indexValues('app'), ['db']);
    assert.deepEqual(
      store.byIndex(NAMESPACE_INDEX, 'default').map((o) => o.metadata.name),
      ['b'],
    );
  });
});
