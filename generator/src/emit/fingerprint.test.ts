import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from './fingerprint.ts';

function big(label: string): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, { label, i, list: [i, `${i}`] }]));
}

describe('fingerprint', () => {
  it('is the same for equal values, whatever the key order or object identity', () => {
    assert.equal(fingerprint({ a: 1, b: [big('x')] }), fingerprint({ b: [big('x')], a: 1 }));
  });

  it('differs when any value, key, type or order of a list differs', () => {
    const base = fingerprint({ a: [1, 2], b: big('x') });
    for (const other of [
      { a: [2, 1], b: big('x') },
      { a: [1, 2], b: big('y') },
      { a: [1, '2'], b: big('x') },
      { a: [1, 2], c: big('x') },
      { a: [1, 2], b: big('x'), d: null },
    ]) {
      assert.notEqual(fingerprint(other), base, JSON.stringify(other).slice(0, 60));
    }
  });

  it('treats an undefined property as absent, as JSON and YAML do', () => {
    assert.equal(fingerprint({ a: 1, b: undefined }), fingerprint({ a: 1 }));
  });
});
