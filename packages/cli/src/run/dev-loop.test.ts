import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planFor } from './dev-loop.ts';

test('a change to an API type regenerates before the rebuild', () => {
  assert.equal(
    planFor(['src/controllers/a.controller.ts', 'src/apis/web.example.com/v1/site.ts']),
    'regenerate',
  );
});

test('any other source change only rebuilds', () => {
  assert.equal(planFor(['src/controllers/a.controller.ts']), 'rebuild');
  assert.equal(planFor(['src/main.ts', 'src/webhooks/site-v1.validating.ts']), 'rebuild');
});

test('generated code, declarations and other files restart nothing', () => {
  assert.equal(
    planFor(['src/generated/web.example.com/v1/site.ts', 'src/types.d.ts', 'src/notes.md']),
    'ignore',
  );
});
