import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isNetworkError } from './errors.ts';
import { ListSplitter, readListStream } from './list-stream.ts';

function split(body: string, chunkSize: number): { items: unknown[]; envelope: unknown } {
  const items: unknown[] = [];
  const splitter = new ListSplitter((item) => items.push(item));
  const bytes = Buffer.from(body, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  return { items, envelope: splitter.end() };
}

const builtIn = JSON.stringify({
  kind: 'ConfigMapList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '42', continue: 'abc' },
  items: [
    { metadata: { name: 'a', annotations: { 'x"}]': 'va\\"lue {[' } }, data: { k: 'é😀\n' } },
    { metadata: { name: 'b' }, data: { n: [1, 2, { deep: [null, true, false, -1.5e3] }] } },
  ],
});
// Custom resources' lists sort their keys: metadata comes after items.
const custom = `{"apiVersion":"example.com/v1","items":[{"metadata":{"name":"c"},"spec":{"v":1}}],"kind":"FooList","metadata":{"continue":"","resourceVersion":"7","remainingItemCount":0}}`;

describe('ListSplitter', () => {
  it('yields every item and the envelope of a built-in list, whatever the chunk boundaries', () => {
    const expected = JSON.parse(builtIn) as { items: unknown[]; metadata: unknown };
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const { items, envelope } = split(builtIn, size);
      assert.deepEqual(items, expected.items, `chunk size ${size}`);
      assert.deepEqual(envelope, { apiVersion: 'v1', kind: 'ConfigMapList', metadata: expected.metadata });
    }
  });

  it('reads metadata placed after the items, as custom resource lists have it', () => {
    for (const size of [1, 5, 1000]) {
      const { items, envelope } = split(custom, size);
      assert.deepEqual(items, [{ metadata: { name: 'c' }, spec: { v: 1 } }]);
      assert.deepEqual(envelope, {
        apiVersion: 'example.com/v1',
        kind: 'FooList',
        metadata: { continue: '', resourceVersion: '7', remainingItemCount: 0 },
      });
    }
  });

  it('finds the end of strings full of escapes wherever a chunk ends', () => {
    const values = ['\\', '\\"', '"\\', 'a\\\\"b', '\\\\', '}]"{[', '\u0022\\'];
    const body = JSON.stringify({
      metadata: {},
      items: values.map((v, i) => ({ [v]: v, i, after: `${v}x` })),
    });
    for (let size = 1; size <= 40; size++) {
      assert.deepEqual(
        split(body, size).items,
        (JSON.parse(body) as { items: unknown }).items,
        `chunk size ${size}`,
      );
    }
  });

  it('accepts null and empty items and whitespace between tokens', () => {
    assert.deepEqual(split('{"metadata":{},"items":null}', 3).items, []);
    assert.deepEqual(split(' {\n "items" : [ ] ,\t"metadata" : { "resourceVersion" : "1" } }\n', 2), {
      items: [],
      envelope: { metadata: { resourceVersion: '1' } },
    });
    assert.deepEqual(split('{"items":[ {"a":1} , {"b":2} ],"metadata":{}}', 1).items, [{ a: 1 }, { b: 2 }]);
  });

  it('hands each item on before reading the next chunk', () => {
    const seen: unknown[] = [];
    const splitter = new ListSplitter((item) => seen.push(item));
    splitter.push(Buffer.from('{"metadata":{},"items":[{"n":1},'));
    assert.deepEqual(seen, [{ n: 1 }]);
    splitter.push(Buffer.from('{"n":2}]}'));
    assert.deepEqual(seen, [{ n: 1 }, { n: 2 }]);
  });

  it('rejects bodies that are not lists with the place and what was wrong', () => {
    const cases: readonly (readonly [string, RegExp])[] = [
      ['[1,2]', /near byte 0: a list must be a JSON object/],
      ['{"metadata":{},"items":[1]}', /element 0 of items is not a JSON object/],
      ['{"metadata":{},"items":"x"}', /items must be an array or null/],
      ['{"metadata":{},"items":[{"a":tru}]}', /element 0 of items is not valid JSON/],
      ['{"metadata":{} "items":[]}', /expected "," or "}" after a member of the list/],
      ['{"items":[]}', /the list has no metadata object/],
      ['{"metadata":{},"items":[{"a":1}', /the body ended before the list did/],
      ['{"metadata":{}}x', /unexpected data after the end of the list/],
    ];
    for (const [body, message] of cases) {
      assert.throws(
        () => split(body, 4),
        (error: unknown) =>
          isNetworkError(error) && error.reason === 'MalformedResponse' && message.test(error.message),
        body,
      );
    }
  });
});

describe('readListStream', () => {
  it('decodes a streamed body and names the request in errors', async () => {
    const items: unknown[] = [];
    const envelope = await readListStream(Readable.from([Buffer.from(custom)]), (i) => items.push(i), {
      request: 'GET /apis/example.com/v1/foos',
    });
    assert.equal(items.length, 1);
    assert.equal(envelope.metadata.resourceVersion, '7');
    await assert.rejects(
      readListStream(Readable.from([Buffer.from('{"items":[')]), () => undefined, { request: 'GET /x' }),
      /ended before the list did.*|GET \/x/,
    );
  });

  it('rethrows what the item callback throws and destroys the body', async () => {
    const body = Readable.from([Buffer.from(builtIn)]);
    await assert.rejects(
      readListStream(
        body,
        () => {
          throw new Error('stop here');
        },
        { request: 'GET /x' },
      ),
      /stop here/,
    );
    assert.equal(body.destroyed, true);
  });
});
