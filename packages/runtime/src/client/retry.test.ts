import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from './errors.ts';
import { backoffDelays, DEFAULT_RETRY, retryOnConflict, retryOnError } from './retry.ts';

const conflict = (): ApiError => new ApiError('Conflict', 'the object has been modified', { code: 409 });
const notFound = (): ApiError => new ApiError('NotFound', 'gone', { code: 404 });

function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

describe('backoffDelays', () => {
  test('DEFAULT_RETRY waits 10 ms between its 5 attempts, plus up to 10% jitter', () => {
    assert.deepEqual(
      backoffDelays(DEFAULT_RETRY, () => 0),
      [10, 10, 10, 10],
    );
    assert.deepEqual(
      backoffDelays(DEFAULT_RETRY, () => 0.5),
      [10.5, 10.5, 10.5, 10.5],
    );
  });

  test('a factor grows each wait and a cap bounds it', () => {
    assert.deepEqual(
      backoffDelays({ steps: 5, durationMs: 10, factor: 5, jitter: 0, capMs: 300 }),
      [10, 50, 250, 300],
    );
  });
});

describe('retryOnConflict', () => {
  test('reruns the whole function after a conflict and returns its result', async () => {
    const { sleeps, sleep } = recordingSleep();
    let calls = 0;
    const result = await retryOnConflict(
      (attempt) => {
        calls++;
        return attempt < 2 ? Promise.reject(conflict()) : Promise.resolve(`done on ${attempt}`);
      },
      DEFAULT_RETRY,
      { sleep, random: () => 0 },
    );
    assert.equal(result, 'done on 2');
    assert.equal(calls, 3);
    assert.deepEqual(sleeps, [10, 10]);
  });

  test('gives up after the backoff steps and throws the last conflict', async () => {
    const { sleeps, sleep } = recordingSleep();
    let calls = 0;
    await assert.rejects(
      retryOnConflict(
        () => {
          calls++;
          return Promise.reject(conflict());
        },
        undefined,
        { sleep },
      ),
      (error) => error instanceof ApiError && error.reason === 'Conflict',
    );
    assert.equal(calls, 5);
    assert.equal(sleeps.length, 4);
  });

  test('does not retry other errors', async () => {
    const { sleeps, sleep } = recordingSleep();
    let calls = 0;
    await assert.rejects(
      retryOnConflict(
        () => {
          calls++;
          return Promise.reject(notFound());
        },
        undefined,
        { sleep },
      ),
      /gone/,
    );
    assert.equal(calls, 1);
    assert.deepEqual(sleeps, []);
  });

  test('stops when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    await assert.rejects(
      retryOnConflict(
        () => {
          calls++;
          controller.abort(new Error('shutting down'));
          return Promise.reject(conflict());
        },
        undefined,
        { signal: controller.signal, sleep: () => Promise.resolve() },
      ),
      /shutting down/,
    );
    assert.equal(calls, 1);
  });
});

describe('retryOnError', () => {
  test('retries whatever the predicate accepts', async () => {
    let calls = 0;
    const result = await retryOnError(
      { steps: 3, durationMs: 1, factor: 1, jitter: 0 },
      (error) => error instanceof ApiError && error.reason === 'NotFound',
      () => (++calls < 3 ? Promise.reject(notFound()) : Promise.resolve(calls)),
      { sleep: () => Promise.resolve() },
    );
    assert.equal(result, 3);
  });

  test('waits for real between attempts by default', async () => {
    const started = performance.now();
    let calls = 0;
    await retryOnError(
      { steps: 2, durationMs: 20, factor: 1, jitter: 0 },
      () => true,
      () => (++calls < 2 ? Promise.reject(conflict()) : Promise.resolve()),
    );
    assert.ok(performance.now() - started >= 19);
  });
});
