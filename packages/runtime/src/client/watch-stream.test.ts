import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { NetworkError } from './errors.ts';
import { decodeWatchEvent, LineSplitter } from './watch-stream.ts';

const typeMeta = { apiVersion: 'v1', kind: 'ConfigMap' };

describe('LineSplitter', () => {
  test('returns every complete line of a chunk', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\nb\n'), ['a', 'b']);
    assert.equal(splitter.rest(), '');
  });

  test('joins a line split across several chunks', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('{"ty'), []);
    assert.deepEqual(splitter.push('pe":'), []);
    assert.deepEqual(splitter.push('1}\n{"x"'), ['{"type":1}']);
    assert.deepEqual(splitter.push(':2}\n'), ['{"x":2}']);
  });

  test('keeps an unfinished tail until the stream ends', () => {
    const splitter = new LineSplitter();
    splitter.push('done\npart');
    assert.equal(splitter.rest(), 'part');
  });

  test('reassembles any split of a stream into the same lines', () => {
    const stream = '{"a":1}\n{"b":"ü€"}\n\n{"c":[1,2,3]}\n';
    for (let size = 1; size <= stream.length; size++) {
      const splitter = new LineSplitter();
      const lines: string[] = [];
      for (let offset = 0; offset < stream.length; offset += size)
        lines.push(...splitter.push(stream.slice(offset, offset + size)));
      assert.deepEqual(lines, ['{"a":1}', '{"b":"ü€"}', '', '{"c":[1,2,3]}'], `chunk size ${size}`);
    }
  });
});

describe('decodeWatchEvent', () => {
  test('decodes added, modified and deleted objects, filling missing type meta', () => {
    const event = decodeWatchEvent<KubeObject>(
      '{"type":"ADDED","object":{"metadata":{"name":"a"}}}',
      typeMeta,
    );
    assert.deepEqual(event, {
      type: 'added',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    });
    assert.equal(decodeWatchEvent('{"type":"MODIFIED","object":{"metadata":{}}}', typeMeta).type, 'modified');
    assert.equal(decodeWatchEvent('{"type":"DELETED","object":{"metadata":{}}}', typeMeta).type, 'deleted');
  });

  test('decodes a bookmark to its resourceVersion', () => {
    const line = '{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"42"}}}';
    assert.deepEqual(decodeWatchEvent(line, typeMeta), { type: 'bookmark', resourceVersion: '42' });
  });

  test('decodes an ERROR event to its Status', () => {
    const line =
      '{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}';
    assert.deepEqual(decodeWatchEvent(line, typeMeta), {
      type: 'error',
      status: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' },
    });
  });

  test('rejects undecodable lines and unknown event types as malformed responses', () => {
    const malformed = (error: unknown): boolean =>
      error instanceof NetworkError && error.reason === 'MalformedResponse';
    assert.throws(() => decodeWatchEvent('{"type":"ADD', typeMeta), malformed);
    assert.throws(() => decodeWatchEvent('{"type":"RENAMED","object":{}}', typeMeta), malformed);
    assert.throws(() => decodeWatchEvent('{"type":"ADDED"}', typeMeta), malformed);
    assert.throws(
      () => decodeWatchEvent('{"type":"BOOKMARK","object":{"metadata":{}}}', typeMeta),
      malformed,
    );
  });
});
