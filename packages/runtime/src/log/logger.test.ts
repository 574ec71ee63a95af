import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, errorFields, noopLogger, type Logger, type LoggerOptions } from './logger.ts';

function capture(options: Omit<LoggerOptions, 'destination'> = {}): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  const logger = createLogger({
    ...options,
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, message and fields', () => {
    const { logger, lines } = capture({ name: 'backup-operator' });
    logger.info('reconciled', { namespace: 'ns-1', name: 'nightly', durationMs: 12 });
    const [line] = lines();
    assert.ok(line);
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'reconciled');
    assert.equal(line.logger, 'backup-operator');
    assert.equal(line.name, 'nightly');
    assert.equal(line.namespace, 'ns-1');
    assert.equal(line.durationMs, 12);
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(
      lines().map((l) => [l.level, l.msg]),
      [
        ['warn', 'w'],
        ['error', 'e'],
      ],
    );
  });

  it('adds child bindings to every line, letting per-call fields win', () => {
    const { logger, lines } = capture({ level: 'debug', bindings: { operator: 'x' } });
    const reconcile = logger.child({ controller: 'backup', reconcileID: 'r-1', attempt: 1 });
    reconcile.debug('starting');
    reconcile.child({ step: 'status' }).info('patched', { attempt: 2 });
    const [first, second] = lines();
    assert.deepEqual([first?.operator, first?.controller, first?.reconcileID], ['x', 'backup', 'r-1']);
    assert.deepEqual([second?.controller, second?.step, second?.attempt], ['backup', 'status', 2]);
  });

  it('serialises errors in any field with type, message, stack and cause', () => {
    const { logger, lines } = capture();
    const cause = new RangeError('quota exceeded');
    logger.error('reconcile failed', { error: new Error('create failed', { cause }), key: 'ns/a' });
    const error = lines()[0]?.error as Record<string, unknown>;
    assert.equal(error.type, 'Error');
    assert.match(String(error.message), /create failed/);
    assert.match(String(error.stack), /create failed/);
    assert.equal((error.cause as Record<string, unknown>).message, 'quota exceeded');
  });
});

describe('errorFields', () => {
  it('keeps name, message, reason, code and the cause chain as plain fields', () => {
    const cause = new Error('connection reset');
    const error = Object.assign(new Error('watch failed', { cause }), { reason: 'Gone', code: 410 });
    assert.deepEqual(errorFields(error), {
      name: 'Error',
      message: 'watch failed',
      reason: 'Gone',
      code: 410,
      cause: { name: 'Error', message: 'connection reset' },
    });
  });

  it('keeps the type and value of a thrown non-Error', () => {
    assert.deepEqual(errorFields(undefined), {
      message: 'non-Error thrown: undefined',
      thrownType: 'undefined',
    });
    assert.deepEqual(errorFields('plain'), { message: 'non-Error thrown: "plain"', thrownType: 'string' });
    assert.deepEqual(errorFields(42), { message: 'non-Error thrown: 42', thrownType: 'number' });
    assert.deepEqual(errorFields(null), { message: 'non-Error thrown: null', thrownType: 'null' });
    assert.deepEqual(errorFields({ code: 7 }), {
      message: 'non-Error thrown: {"code":7}',
      thrownType: 'Object',
      value: '{"code":7}',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.equal(errorFields(cyclic).thrownType, 'Object');
  });
});

describe('noopLogger', () => {
  it('accepts every call and returns itself as child', () => {
    noopLogger.error('ignored', { a: 1 });
    assert.equal(noopLogger.child({ a: 1 }), noopLogger);
  });
});
