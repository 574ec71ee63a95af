import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePatch } from './create-or-update.ts';

test('mergePatch is undefined for equal objects', () => {
  assert.equal(mergePatch({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } }), undefined);
});

test('mergePatch sets changed and added fields and nulls removed ones', () => {
  assert.deepEqual(mergePatch({ a: 1, b: 2, n: { x: 1, y: 2 } }, { a: 1, c: 3, n: { x: 5, y: 2 } }), {
    b: null,
    c: 3,
    n: { x: 5 },
  });
});

test('mergePatch replaces arrays whole', () => {
  assert.deepEqual(mergePatch({ list: [1, 2, 3] }, { list: [1, 2] }), { list: [1, 2] });
});

test('mergePatch treats undefined as absent', () => {
  assert.equal(mergePatch({ a: undefined }, {}), undefined);
  assert.deepEqual(mergePatch({ a: 1 }, { a: undefined }), { a: null });
});
