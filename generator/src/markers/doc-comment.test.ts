import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocComment } from './doc-comment.ts';

describe('parseDocComment', () => {
  it('splits the description from tags and keeps paragraphs', () => {
    const doc = parseDocComment(
      '/**\n * First line.\n *\n * Second paragraph.\n * @minimum 1\n * @pattern ^a$\n */',
    );
    assert.ok(doc);
    assert.deepEqual(doc.description, 'First line.\n\nSecond paragraph.');
    assert.deepEqual(
      doc.tags.map((t) => [t.name, t.text]),
      [
        ['minimum', '1'],
        ['pattern', '^a$'],
      ],
    );
  });

  it('records the absolute offset of each tag', () => {
    const text = '/** @resource */';
    const doc = parseDocComment(text, 100);
    assert.equal(doc?.tags[0]?.offset, 100 + text.indexOf('@resource'));
  });

  it('treats an @ inside a line as text, not a new tag', () => {
    const doc = parseDocComment(
      `/**\n * @printColumn name=Ready jsonPath='.status.conditions[?(@.type=="Ready")].status'\n */`,
    );
    assert.ok(doc);
    assert.equal(doc.tags.length, 1);
    assert.equal(doc.tags[0]?.text, `name=Ready jsonPath='.status.conditions[?(@.type=="Ready")].status'`);
  });

  it('continues a tag value on the following lines', () => {
    const doc = parseDocComment(
      '/**\n * @validation rule="a < b"\n *   message="a must be less than b"\n */',
    );
    assert.equal(doc?.tags[0]?.text, 'rule="a < b"\n  message="a must be less than b"');
  });

  it('records a line where tags follow text, split where each tag would start', () => {
    const text = '/** @minimum 0 @maximum 100 */';
    const doc = parseDocComment(text, 10);
    assert.ok(doc);
    assert.deepEqual(
      doc.tags.map((t) => [t.name, t.text]),
      [['minimum', '0 @maximum 100']],
    );
    assert.deepEqual(doc.crowdedLines, [
      {
        names: ['maximum'],
        parts: ['@minimum 0', '@maximum 100'],
        offset: 10 + text.indexOf('@maximum'),
        tag: doc.tags[0],
      },
    ]);
  });

  it('records description lines with tags in them, and no line where @ is not a word start', () => {
    const doc = parseDocComment(
      `/**\n * The body. @maxLength 10\n * @printColumn name=Ready jsonPath='.status.conditions[?(@.type=="Ready")].status'\n * Mail ops@example.com.\n */`,
    );
    assert.ok(doc);
    assert.deepEqual(
      doc.crowdedLines.map((l) => [l.names, l.parts, l.tag]),
      [[['maxLength'], ['The body.', '@maxLength 10'], undefined]],
    );
  });

  it('ignores comments that are not JSDoc blocks', () => {
    assert.equal(parseDocComment('/* plain */'), undefined);
    assert.equal(parseDocComment('/**/'), undefined);
  });
});
