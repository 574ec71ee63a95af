import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonPointer, patchContentTypes } from './patch.ts';

describe('patches', () => {
  test('each patch kind has its own content type', () => {
    assert.deepEqual(patchContentTypes, {
      merge: 'application/merge-patch+json',
      json: 'application/json-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      apply: 'application/apply-patch+yaml',
    });
  });

  test('jsonPointer escapes ~ and / as RFC 6901 requires', () => {
    assert.equal(
      jsonPointer('metadata', 'labels', 'app.kubernetes.io/name'),
      '/metadata/labels/app.kubernetes.io~1name',
    );
    assert.equal(jsonPointer('a~b', 0), '/a~0b/0');
    assert.equal(jsonPointer(), '');
  });
});
