import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLineChange, lineChange } from './line-diff.ts';

const before = ['/**', ' * A Website.', ' *', ' * @resource', ' */', 'export interface Website {}', ''].join(
  '\n',
);

test('an added line is found with its number in the new text and the line before it', () => {
  const after = before.replace(' * @resource\n', ' * @resource\n * @storageVersion\n');
  assert.deepEqual(lineChange(before, after), {
    line: 5,
    context: ' * @resource',
    removed: [],
    added: [' * @storageVersion'],
  });
});

test('a replaced line shows as removed and added; equal texts have no change', () => {
  const after = before.replace(' * A Website.', ' * A static website.');
  assert.deepEqual(lineChange(before, after), {
    line: 2,
    context: '/**',
    removed: [' * A Website.'],
    added: [' * A static website.'],
  });
  assert.equal(lineChange(before, before), undefined);
});

test('a change on the first line has no line before it', () => {
  assert.deepEqual(lineChange('a\nb', 'z\na\nb'), { line: 1, context: undefined, removed: [], added: ['z'] });
});

test('the report shows the path, line and reason, then the lines diff-like and indented', () => {
  const after = before.replace(' * @resource\n', ' * @resource\n * @storageVersion\n');
  const change = lineChange(before, after);
  assert.ok(change);
  assert.deepEqual(formatLineChange('src/apis/web.example.com/v1/website.ts', change, 'why'), [
    '  changed src/apis/web.example.com/v1/website.ts:5 (why):',
    '      * @resource',
    '    + * @storageVersion',
  ]);
});
