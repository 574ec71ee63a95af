import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { installProcessFailureHandlers, type ProcessFailurePolicy } from './process-failures.ts';

function setUp(policy: ProcessFailurePolicy) {
  const target = new EventEmitter();
  const logs: { message: string; fields: Readonly<Record<string, unknown>> }[] = [];
  const counted: string[] = [];
  const exits: number[] = [];
  const remove = installProcessFailureHandlers({
    policy,
    logger: { error: (message, fields = {}) => void logs.push({ message, fields }) },
    metrics: { processFailure: (kind) => void counted.push(kind) },
    exit: (code) => void exits.push(code),
    target: target as unknown as NodeJS.Process,
  });
  return { target, logs, counted, exits, remove };
}

describe('process failure policy', () => {
  it('exit: logs an unhandled rejection with its type and value, counts it and exits 1', () => {
    const h = setUp('exit');
    h.target.emit('unhandledRejection', undefined);
    assert.deepEqual(h.counted, ['unhandledRejection']);
    assert.deepEqual(h.exits, [1]);
    assert.equal(h.logs.at(0)?.message, 'unhandled promise rejection outside any reconcile');
    assert.deepEqual(h.logs.at(0)?.fields.error, {
      message: 'non-Error thrown: undefined',
      thrownType: 'undefined',
    });
  });

  it('exit: an uncaught exception is logged, counted and exits 1', () => {
    const h = setUp('exit');
    h.target.emit('uncaughtException', new TypeError('boom'));
    assert.deepEqual(h.counted, ['uncaughtException']);
    assert.deepEqual(h.exits, [1]);
    assert.equal((h.logs.at(0)?.fields.error as { name?: string }).name, 'TypeError');
  });

  it('log: logs and counts but keeps running', () => {
    const h = setUp('log');
    h.target.emit('unhandledRejection', 'oops');
    assert.deepEqual(h.counted, ['unhandledRejection']);
    assert.deepEqual(h.exits, []);
    assert.equal(h.logs.at(0)?.fields.action, 'continue');
  });

  it('off installs nothing; removing the handlers detaches them', () => {
    const off = setUp('off');
    assert.equal(off.target.listenerCount('unhandledRejection'), 0);
    const h = setUp('exit');
    assert.equal(h.target.listenerCount('uncaughtException'), 1);
    h.remove();
    assert.equal(h.target.listenerCount('uncaughtException'), 0);
    assert.equal(h.target.listenerCount('unhandledRejection'), 0);
  });
});
