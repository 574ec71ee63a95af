import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionWebhook } from '../markers/grammars.ts';
import type { Schema } from '../model/index.ts';
import { schemaDifference } from './conversion.ts';

const object = (properties: Record<string, Schema>): Schema => ({ type: 'object', properties });

describe('schemaDifference', () => {
  it('finds nothing when only descriptions differ', () => {
    const a = object({ spec: object({ size: { type: 'integer', description: 'old words' } }) });
    const b = object({ spec: object({ size: { type: 'integer', description: 'new words' } }) });
    assert.equal(schemaDifference(a, b, ''), undefined);
  });

  it('names the first field only one version has', () => {
    const a = object({ spec: object({ size: { type: 'integer' } }) });
    const b = object({ spec: object({ size: { type: 'integer' }, tier: { type: 'string' } }) });
    assert.deepEqual(schemaDifference(a, b, ''), { path: '.spec.tier', what: 'only-second' });
  });

  it('names a field whose type changed, inside array items', () => {
    const a = object({ ports: { type: 'array', items: object({ port: { type: 'integer' } }) } });
    const b = object({ ports: { type: 'array', items: object({ port: { type: 'string' } }) } });
    assert.equal(schemaDifference(a, b, '')?.path, '.ports[].port');
  });

  it('names a changed validation keyword', () => {
    const a = object({ size: { type: 'integer', maximum: 5 } });
    const b = object({ size: { type: 'integer', maximum: 10 } });
    assert.deepEqual(schemaDifference(a, b, ''), { path: '.size', what: 'keyword', detail: 'maximum' });
  });
});

describe('@defaulting and @validating arguments', () => {
  it('default to create and update, Fail, no side effects and 10 seconds', () => {
    assert.deepEqual(admissionWebhook('validating').parse(''), {
      ok: true,
      value: {
        operations: ['CREATE', 'UPDATE'],
        failurePolicy: 'Fail',
        sideEffects: 'None',
        timeoutSeconds: 10,
      },
    });
  });

  it('list operations in the API server order whatever the order given', () => {
    const parsed = admissionWebhook('validating').parse(
      'verbs=delete;create failurePolicy=Ignore timeoutSeconds=30',
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.operations, ['CREATE', 'DELETE']);
    assert.equal(parsed.value.failurePolicy, 'Ignore');
    assert.equal(parsed.value.timeoutSeconds, 30);
  });

  it('refuse a timeout the API server would refuse', () => {
    for (const timeout of ['0', '31', '1.5', 'ten']) {
      const parsed = admissionWebhook('defaulting').parse(`timeoutSeconds=${timeout}`);
      assert.equal(parsed.ok, false, timeout);
    }
  });

  it('refuse delete for defaulting, with a hint to validate deletes', () => {
    const parsed = admissionWebhook('defaulting').parse('verbs=delete');
    assert.ok(!parsed.ok);
    assert.match(parsed.hint ?? '', /@validating verbs=delete/);
  });
});
