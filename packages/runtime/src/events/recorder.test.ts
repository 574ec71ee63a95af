/** Aggregation rules of the event recorder, with an in-memory Events client and a fake clock. */
import type { Logger } from '../log/logger.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { ApiError } from '../client/errors.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { FakeClock } from '../workqueue/clock.ts';
import { COMBINED_MESSAGE_PREFIX, createEventRecorder, type CoreEvent } from './recorder.ts';

function fakeEvents() {
  const stored = new Map<string, CoreEvent>();
  const calls: string[] = [];
  const client = {
    create: (event: CoreEvent) => {
      calls.push(`create ${event.metadata.name ?? ''}`);
      stored.set(event.metadata.name ?? '', structuredClone(event));
      return Promise.resolve(event);
    },
    patch: (name: string, patch: { patch: Partial<CoreEvent> }) => {
      calls.push(`patch ${name}`);
      const existing = stored.get(name);
      if (existing === undefined) {
        return Promise.reject(new ApiError('NotFound', `events "${name}" not found`, { code: 404 }));
      }
      Object.assign(existing, patch.patch);
      return Promise.resolve(existing);
    },
  } as unknown as ResourceClient<CoreEvent>;
  return { client, stored, calls };
}

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
};

test('a repeat within the window bumps count and lastTimestamp of the same Event', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock });
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  clock.advance(60_000);
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.equal(stored.size, 1);
  const [event] = [...stored.values()];
  assert.ok(event !== undefined);
  assert.equal(event.count, 2);
  assert.equal(event.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(event.lastTimestamp, '2026-01-01T00:01:00Z');
});

test('a different message, type or object makes a new Event', async () => {
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock: new FakeClock() });
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  recorder.event(pod, 'Normal', 'Synced', 'different');
  recorder.event(pod, 'Warning', 'Synced', 'ok');
  recorder.event({ ...pod, metadata: { ...pod.metadata, name: 'q', uid: 'u2' } }, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.equal(stored.size, 4);
});

test('after the aggregation window a repeat starts a new Event', async () => {
  const clock = new FakeClock();
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock, aggregationWindowMs: 1000 });
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  clock.advance(1001);
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.equal(stored.size, 2);
});

test('when the aggregated Event has expired on the server, a new one is created', async () => {
  const { client, stored, calls } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock: new FakeClock() });
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  stored.clear(); // the API server's event TTL removed it
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.equal(stored.size, 1);
  assert.deepEqual(
    calls.map((c) => c.split(' ')[0]),
    ['create', 'patch', 'create'],
  );
  assert.equal(recorder.failures, 0);
});

test('Events of cluster-scoped objects go to the default namespace; names are unique', async () => {
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock: new FakeClock() });
  const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } };
  recorder.event(node, 'Normal', 'A', 'one');
  recorder.event(node, 'Normal', 'B', 'two');
  await recorder.flush();
  const events = [...stored.values()];
  assert.deepEqual(
    events.map((e) => e.metadata.namespace),
    ['default', 'default'],
  );
  assert.notEqual(events[0]?.metadata.name, events[1]?.metadata.name);
});

test('failed writes are counted and logged, never thrown', async () => {
  const warnings: string[] = [];
  const client = {
    create: () => Promise.reject(new Error('forbidden')),
  } as unknown as ResourceClient<CoreEvent>;
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => void warnings.push(m),
    error: () => undefined,
    child: () => logger,
  };
  const recorder = createEventRecorder({ client, component: 'c', logger });
  recorder.event(pod, 'Normal', 'Synced', 'ok');
  await recorder.flush();
  assert.equal(recorder.failures, 1);
  assert.deepEqual(warnings, ['could not write event']);
});

test('the spam filter lets a burst through per object, then one event per refill period', async () => {
  const clock = new FakeClock();
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({
    client,
    component: 'c',
    clock,
    spamFilter: { burst: 3, refillMs: 1000 },
  });
  for (let i = 0; i < 5; i++) recorder.event(pod, 'Normal', 'Hot', `message ${i}`);
  recorder.event(
    { ...pod, metadata: { ...pod.metadata, name: 'other', uid: 'u9' } },
    'Normal',
    'Hot',
    'message',
  );
  assert.equal(recorder.dropped, 2);
  clock.advance(1000);
  recorder.event(pod, 'Normal', 'Hot', 'after refill');
  recorder.event(pod, 'Normal', 'Hot', 'too soon');
  await recorder.flush();
  assert.equal(recorder.dropped, 3);
  assert.equal(stored.size, 5);
});

test('from the tenth distinct message of one object, type and reason, events combine into one', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const { client, stored, calls } = fakeEvents();
  const recorder = createEventRecorder({ client, component: 'c', clock });
  for (let i = 1; i <= 12; i++) {
    recorder.event(pod, 'Warning', 'SyncFailed', `attempt ${String(i)} failed`);
    clock.advance(1000);
  }
  await recorder.flush();
  assert.equal(stored.size, 10, 'nine events of their own, then one combined event');
  const combined = [...stored.values()].filter((e) => e.message?.startsWith(COMBINED_MESSAGE_PREFIX));
  assert.equal(combined.length, 1);
  const [event] = combined;
  assert.ok(event !== undefined);
  assert.equal(event.message, `${COMBINED_MESSAGE_PREFIX}attempt 12 failed`, 'the latest message');
  assert.equal(event.count, 3);
  assert.equal(event.lastTimestamp, '2026-01-01T00:00:11Z');
  assert.equal(calls.filter((c) => c.startsWith('patch')).length, 2);
});

test('similar events combine only within the window, and other reasons are not counted', async () => {
  const clock = new FakeClock();
  const { client, stored } = fakeEvents();
  const recorder = createEventRecorder({
    client,
    component: 'c',
    clock,
    aggregationWindowMs: 10_000,
    maxSimilar: 3,
  });
  recorder.event(pod, 'Warning', 'SyncFailed', 'a');
  recorder.event(pod, 'Warning', 'Other', 'b');
  recorder.event(pod, 'Warning', 'SyncFailed', 'c');
  clock.advance(20_000);
  recorder.event(pod, 'Warning', 'SyncFailed', 'd');
  recorder.event(pod, 'Warning', 'SyncFailed', 'e');
  await recorder.flush();
  assert.equal(stored.size, 5, 'the window passed before a third distinct message');
  assert.ok([...stored.values()].every((e) => !e.message?.startsWith(COMBINED_MESSAGE_PREFIX)));
  recorder.event(pod, 'Warning', 'SyncFailed', 'f');
  recorder.event(pod, 'Warning', 'SyncFailed', 'd');
  await recorder.flush();
  const messages = [...stored.values()].map((e) => `${e.message ?? ''} x${String(e.count)}`).sort();
  assert.deepEqual(messages, [`${COMBINED_MESSAGE_PREFIX}f x1`, 'a x1', 'b x1', 'c x1', 'd x2', 'e x1']);
});
