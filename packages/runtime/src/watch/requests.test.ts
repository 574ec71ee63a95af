import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, ListerWatcher, ListOptions } from '../api/index.ts';
import { realClock } from '../workqueue/clock.ts';
import { listWithTimeout } from './requests.ts';

const item = (name: string): KubeObject => ({ metadata: { name } });
const prepare = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, labels: { prepared: 'yes' } },
});
const never = (): AsyncIterable<never> => ({
  [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }),
});

describe('listWithTimeout', () => {
  it('reads through listEach when offered, preparing each item as it arrives', async () => {
    const prepared: string[] = [];
    const lw: ListerWatcher<KubeObject> = {
      list: () => Promise.reject(new Error('list must not be called')),
      listEach: (_options: ListOptions, each) => {
        each(item('a'));
        assert.deepEqual(prepared, ['a'], 'the first item is prepared before the second arrives');
        each(item('b'));
        return Promise.resolve({ resourceVersion: '5', continue: 'next' });
      },
      watch: never,
    };
    const outcome = await listWithTimeout(
      lw,
      {},
      (o) => {
        prepared.push(o.metadata.name ?? '');
        return prepare(o);
      },
      1000,
      new AbortController().signal,
      realClock,
    );
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.items.map((o) => [o.metadata.name, o.metadata.labels?.prepared]),
      [
        ['a', 'yes'],
        ['b', 'yes'],
      ],
    );
    assert.deepEqual(outcome.metadata, { resourceVersion: '5', continue: 'next' });
  });

  it('gives no items for a page that fails midway', async () => {
    const lw: ListerWatcher<KubeObject> = {
      list: () => Promise.reject(new Error('unused')),
      listEach: (_options, each) => {
        each(item('a'));
        return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
      watch: never,
    };
    const outcome = await listWithTimeout(lw, {}, prepare, 1000, new AbortController().signal, realClock);
    assert.equal(outcome.ok, false);
    assert.ok(!('items' in outcome));
  });

  it('falls back to list for a ListerWatcher without listEach', async () => {
    const lw: ListerWatcher<KubeObject> = {
      list: () => Promise.resolve({ metadata: { resourceVersion: '9' }, items: [item('x')] }),
      watch: never,
    };
    const outcome = await listWithTimeout(lw, {}, prepare, 1000, new AbortController().signal, realClock);
    assert.ok(outcome.ok);
    assert.equal(outcome.items[0]?.metadata.labels?.prepared, 'yes');
    assert.equal(outcome.metadata.resourceVersion, '9');
  });
});
