import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTagLines, collectMarkers } from './collect.ts';
import { parseDocComment } from './doc-comment.ts';
import { parseKeyValues } from './arguments.ts';
import type { MarkerTarget } from './definitions.ts';

function collect(comment: string, targets: readonly MarkerTarget[] = ['field']) {
  const problems: string[] = [];
  const doc = parseDocComment(comment);
  assert.ok(doc);
  const markers = collectMarkers(doc.tags, targets, (_offset, severity, code, message, hint) =>
    problems.push(`${severity} ${code}: ${message}${hint ? ` (${hint})` : ''}`),
  );
  return { markers, problems };
}

describe('collectMarkers', () => {
  it('parses typed values with each marker grammar', () => {
    const { markers, problems } = collect(
      '/**\n * @minimum -1.5\n * @maxLength 10\n * @default {"a": [1]}\n * @listMapKey name\n * @listMapKey port\n */',
    );
    assert.deepEqual(problems, []);
    assert.equal(markers.get('minimum'), -1.5);
    assert.equal(markers.get('maxLength'), 10);
    assert.deepEqual(markers.get('default'), { a: [1] });
    assert.deepEqual(markers.getAll('listMapKey'), ['name', 'port']);
  });

  it('takes a bare non-JSON default as a string', () => {
    assert.equal(collect('/** @default daily */').markers.get('default'), 'daily');
  });

  it('parses key=value markers with quoted values', () => {
    const { markers } = collect(`/**\n * @validation rule='self.x == "a"' message="x must be \\"a\\""\n */`);
    assert.deepEqual(markers.getAll('validation'), [{ rule: 'self.x == "a"', message: 'x must be "a"' }]);
  });

  it('parses both subresources and an rbac rule with the core group', () => {
    const resource = collect(
      '/**\n * @subresource status\n * @subresource scale specReplicasPath=.spec.r statusReplicasPath=.status.r\n */',
      ['resource'],
    );
    assert.deepEqual(resource.markers.getAll('subresource'), [
      { kind: 'status' },
      { kind: 'scale', specReplicasPath: '.spec.r', statusReplicasPath: '.status.r' },
    ]);
    const rbac = collect('/** @rbac groups=core;apps resources=pods verbs=get;list */', ['controller']);
    assert.deepEqual(rbac.markers.getAll('rbac'), [
      {
        apiGroups: ['', 'apps'],
        resources: ['pods'],
        verbs: ['get', 'list'],
        resourceNames: [],
        nonResourceURLs: [],
      },
    ]);
  });

  it('parses an rbac rule for one namespace, and rejects bad namespaces and namespaced URLs', () => {
    const rbac = collect('/** @rbac groups=core resources=configmaps verbs=get namespace=web */', [
      'controller',
    ]);
    assert.deepEqual(rbac.markers.getAll('rbac'), [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get'],
        resourceNames: [],
        nonResourceURLs: [],
        namespace: 'web',
      },
    ]);
    const [bad] = collect('/** @rbac groups=core resources=pods verbs=get namespace=Web_1 */', [
      'controller',
    ]).problems;
    assert.match(bad ?? '', /^error invalid-marker: @rbac has an invalid namespace "Web_1"/);
    assert.match(bad ?? '', /a namespace is a DNS label/);
    const [urls] = collect('/** @rbac urls=/metrics verbs=get namespace=web */', ['controller']).problems;
    assert.match(urls ?? '', /@rbac urls cannot be combined with namespace/);
  });

  it('reports a bad argument with the syntax as hint', () => {
    const { problems } = collect('/** @minItems -1 */');
    assert.deepEqual(problems, [
      'error invalid-marker: @minItems expects a non-negative integer, got "-1" (syntax: @minItems <non-negative integer>)',
    ]);
  });

  it('reports a @validation rule that is not CEL', () => {
    const { problems } = collect('/** @validation rule="self.a <" */');
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      /^error invalid-marker: @validation rule is not valid CEL: Unexpected token: EOF \(at column 9 of the expression\)/,
    );
  });

  it('reports a repeated non-repeatable marker', () => {
    assert.deepEqual(collect('/**\n * @pattern a\n * @pattern b\n */').problems, [
      'error duplicate-marker: @pattern is given more than once (keep one)',
    ]);
  });

  it('warns about a marker in the wrong place and ignores it', () => {
    const { markers, problems } = collect('/** @plural things */');
    assert.equal(markers.has('plural'), false);
    assert.deepEqual(problems, [
      'warning misplaced-marker: @plural applies to @resource interfaces; it is ignored here',
    ]);
  });

  it('suggests the marker a misspelt tag was meant to be, and ignores documentation tags', () => {
    const { problems } = collect('/**\n * @maxlenght 3\n * @see https://example.com\n * @example x\n */');
    assert.deepEqual(problems, [
      'warning unknown-marker: unknown marker @maxlenght; it is ignored (did you mean @maxLength?)',
    ]);
  });

  it('lets JSDoc @deprecated on fields be', () => {
    assert.deepEqual(collect('/** @deprecated use other */').problems, []);
  });
});

describe('parseKeyValues', () => {
  it('rejects text that is not key=value', () => {
    assert.deepEqual(parseKeyValues('name=a oops'), {
      ok: false,
      message: 'expects key=value pairs, got "oops"',
    });
  });

  it('rejects an unterminated quote', () => {
    assert.equal(parseKeyValues('rule="abc').ok, false);
  });
});

describe('checkTagLines', () => {
  function check(comment: string, isRelevant?: (name: string) => boolean) {
    const problems: string[] = [];
    const doc = parseDocComment(comment);
    assert.ok(doc);
    const spoiled = checkTagLines(
      doc,
      (_offset, severity, code, message, hint) =>
        problems.push(`${severity} ${code}: ${message}\n${hint ?? ''}`),
      isRelevant,
    );
    return { doc, problems, spoiled };
  }

  it('says that each tag must start its own line, and shows the line split', () => {
    const { doc, problems, spoiled } = check('/** @minimum 0 @maximum 100 */');
    assert.deepEqual(problems, [
      'error tags-on-one-line: @maximum is read as part of the value of @minimum: each tag must start its own line\n' +
        'write the line as\n         * @minimum 0\n         * @maximum 100',
    ]);
    assert.deepEqual([...spoiled], [doc.tags[0]]);
  });

  it('reports a marker in the description, which would be ignored', () => {
    const { problems, spoiled } = check('/**\n * The body. @maxLength 10 @minLength 1\n */');
    assert.deepEqual(problems, [
      'error tags-on-one-line: @maxLength and @minLength are read as part of the description and ignored: each tag must start its own line\n' +
        'write the line as\n         * The body.\n         * @maxLength 10\n         * @minLength 1',
    ]);
    assert.equal(spoiled.size, 0);
  });

  it('leaves words that are not markers, documentation tags and unselected markers alone', () => {
    assert.deepEqual(check('/** Ask @platform-team. */').problems, []);
    assert.deepEqual(check('/** `generate` turns the @rbac tags below into rules */').problems, []);
    assert.deepEqual(check('/**\n * @see the docs @minimum 1\n */').problems, []);
    assert.deepEqual(check('/** Reconciles. @minimum 1 */', (name) => name === 'rbac').problems, []);
  });
});
