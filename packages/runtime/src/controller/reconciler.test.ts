import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidResultError, outcomeOf, requestKey, TerminalError } from './reconciler.ts';

test('an empty result is a success that forgets the backoff', () => {
  assert.deepEqual(outcomeOf({ ok: true, value: {} }), { action: 'forget', metric: 'success' });
});

test('requeueAfterMs requeues after that delay and counts as requeue_after', () => {
  assert.deepEqual(outcomeOf({ ok: true, value: { requeueAfterMs: 1500 } }), {
    action: 'requeueAfter',
    delayMs: 1500,
    metric: 'requeue_after',
  });
});

test('requeueAfterMs 0 is allowed and requeues at once', () => {
  assert.equal(outcomeOf({ ok: true, value: { requeueAfterMs: 0 } }).action, 'requeueAfter');
});

test('a thrown error requeues with rate limiting', () => {
  const error = new Error('boom');
  assert.deepEqual(outcomeOf({ ok: false, error }), { action: 'rateLimited', metric: 'error', error });
});

test('a thrown non-Error value is still retried', () => {
  assert.equal(outcomeOf({ ok: false, error: 'string thrown' }).action, 'rateLimited');
});

test('a TerminalError forgets the key and counts as an error', () => {
  const error = new TerminalError('InvalidSpec', 'spec.size must be positive');
  assert.deepEqual(outcomeOf({ ok: false, error }), { action: 'forget', metric: 'error', error });
});

test('a negative or non-finite requeueAfterMs is reported as an invalid result and retried', () => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '100']) {
    const outcome = outcomeOf({ ok: true, value: { requeueAfterMs: bad } });
    assert.ok(outcome.action === 'rateLimited' && outcome.error instanceof InvalidResultError);
  }
});

test('a reconciler returning undefined or null gets a message saying what to return', () => {
  for (const value of [undefined, null]) {
    const outcome = outcomeOf({ ok: true, value });
    assert.ok(outcome.action === 'rateLimited' && outcome.error instanceof InvalidResultError);
    assert.match((outcome.error as Error).message, /return \{\} when done/);
  }
});

test('requestKey joins namespace and name like objectKey', () => {
  assert.equal(requestKey({ namespace: 'ns', name: 'a' }), 'ns/a');
  assert.equal(requestKey({ name: 'cluster-thing' }), 'cluster-thing');
});
