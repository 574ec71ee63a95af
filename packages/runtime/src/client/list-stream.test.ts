import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { isNetworkError } from './errors.ts';
import { ListSplitter, readListStream } from './list-stream.ts';

function split(
  body: string,
  chunkSize: number,
  options: { dropManagedFields?: boolean } = {},
): { items: unknown[]; envelope: unknown } {
  const items: unknown[] = [];
  const splitter = new ListSplitter((item) => items.push(item), undefined, options);
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
      items: values.map((v, i) => ({ [v]: v, i, after: `${v}x`, metadata: { [v]: [v], name: v } })),
    });
    for (let size = 1; size <= 40; size++) {
      for (const dropManagedFields of [false, true]) {
        assert.deepEqual(
          split(body, size, { dropManagedFields }).items,
          (JSON.parse(body) as { items: unknown }).items,
          `chunk size ${size}`,
        );
      }
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

  it('hands items on a batch at a time, each batch when it is full or items end', () => {
    const seen: unknown[] = [];
    const splitter = new ListSplitter((item) => seen.push(item), undefined, { batchBytes: 16 });
    splitter.push(Buffer.from('{"metadata":{},"items":[{"n":1},'));
    assert.deepEqual(seen, [], 'one item of 7 bytes waits for the batch');
    splitter.push(Buffer.from('{"n":2},{"n":3},{"n":4}'));
    // The batch is full (at 16 bytes) after the second item, and again after the fourth.
    assert.deepEqual(seen, [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    splitter.push(Buffer.from(',{"n":5}'));
    assert.equal(seen.length, 4);
    splitter.push(Buffer.from(']}'));
    assert.deepEqual(seen[4], { n: 5 }, 'the end of items hands on what is left');
    assert.equal(splitter.items, 5);

    const one: unknown[] = [];
    const eager = new ListSplitter((item) => one.push(item), undefined, { batchBytes: 1 });
    eager.push(Buffer.from('{"metadata":{},"items":[{"n":1},'));
    assert.deepEqual(one, [{ n: 1 }], 'a batch of one byte hands each item on at once');
  });

  it('names the element at fault when a batch does not parse', () => {
    const body = '{"metadata":{},"items":[{"a":1},{"b":2},{"c":tru},{"d":4}]}';
    for (const batchBytes of [1, 20, 1_000_000]) {
      const splitter = new ListSplitter(() => undefined, 'GET /x', { batchBytes });
      assert.throws(
        () => splitter.push(Buffer.from(body)),
        (error: unknown) =>
          isNetworkError(error) &&
          error.message.includes('near byte 48 (GET /x): element 2 of items is not valid JSON'),
        `batch of ${batchBytes} bytes`,
      );
    }
  });

  it('cuts metadata.managedFields out of each item, and nothing else, wherever a chunk ends', () => {
    const entry = { manager: 'm', operation: 'Update', fieldsV1: { 'f:spec': { '.': {}, 'f:x]': {} } } };
    const items = [
      // Custom resources: keys sorted, managedFields between other members.
      {
        apiVersion: 'example.com/v1',
        kind: 'Foo',
        metadata: {
          annotations: { note: '"managedFields":[ é😀 \\"', managedFields: 'an annotation' },
          generation: 1,
          labels: { managedFields: 'x' },
          managedFields: [entry, entry],
          name: 'a',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', managedFields: [1] }],
        },
        spec: { managedFields: [{ kept: true }], metadata: { managedFields: ['kept too'] } },
      },
      // The first member of metadata, and the only one.
      { metadata: { managedFields: [entry], name: 'b' }, spec: {} },
      { metadata: { managedFields: [] } },
      // The last member, after a nested object.
      { metadata: { labels: { a: '}' }, managedFields: [entry] }, data: { managedFields: '[1]' } },
      // No managedFields; a value "metadata" before an object member; metadata not an object.
      { kind: 'metadata', spec: { name: 'c' }, metadata: { name: 'c' } },
      { metadata: null, status: { metadata: { managedFields: [1] } } },
      { spec: { managedFields: [2] } },
    ];
    const body = JSON.stringify({ apiVersion: 'example.com/v1', items, kind: 'FooList', metadata: {} });
    const expected = items.map((item) => {
      const copy = structuredClone(item) as { metadata?: Record<string, unknown> | null };
      if (copy.metadata) delete copy.metadata.managedFields;
      return copy;
    });
    // A key split between chunks is left in (the informer's compaction drops it); every item
    // is either cut exactly or parsed whole.
    for (let size = 1; size <= 64; size++) {
      const got = split(body, size, { dropManagedFields: true }).items;
      got.forEach((item, i) => {
        assert.ok(
          isDeepStrictEqual(item, expected[i]) || isDeepStrictEqual(item, items[i]),
          `chunk size ${size}, item ${i}: ${JSON.stringify(item)}`,
        );
      });
    }
    assert.deepEqual(split(body, 1_000_000, { dropManagedFields: true }).items, expected);
    // Chunks ending just before the key: the comma (or brace) before it is in the earlier chunk.
    for (const before of [',"managedFields"', '{"managedFields"']) {
      let at = body.indexOf(before);
      while (at >= 0) {
        const bytes = Buffer.from(body);
        const cut = Buffer.byteLength(body.slice(0, at + 1));
        const got: unknown[] = [];
        const splitter = new ListSplitter((item) => got.push(item), undefined, { dropManagedFields: true });
        splitter.push(bytes.subarray(0, cut));
        splitter.push(bytes.subarray(cut));
        splitter.end();
        assert.deepEqual(got, expected, `split after byte ${cut}`);
        at = body.indexOf(before, at + 1);
      }
    }
    // Without the option every byte is parsed.
    assert.deepEqual(split(body, 7).items, items);
  });

  it('parses an item whole when its bytes are not laid out as the API server writes them', () => {
    const items = [{ metadata: { name: 'a', managedFields: [{ manager: 'm' }] } }];
    // Whitespace around the member: parsed as it is; the informer's compaction drops it.
    const body = JSON.stringify({ items, metadata: {} }, null, 1);
    for (const size of [1, 3, 1000]) {
      assert.deepEqual(split(body, size, { dropManagedFields: true }).items, items);
    }
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
