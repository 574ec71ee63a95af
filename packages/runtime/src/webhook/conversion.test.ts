/** Conversion through the hub, and the round-trip annotation that keeps what a version cannot hold. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.ts';
import { conversion, convertObjects, type ConversionWebhook } from './conversion.ts';
import { WebhookError } from './review.ts';
import { widgetConversion } from './testdata/widgets.ts';

const registry = new Map<string, ConversionWebhook>([['Widget.webhooks.kubeforge.dev', widgetConversion]]);
const at = (version: string, spec: object, annotations?: Record<string, string>): KubeObject =>
  ({
    apiVersion: `webhooks.kubeforge.dev/${version}`,
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'ns', uid: 'u', ...(annotations && { annotations }) },
    spec,
  }) as KubeObject;
const one = async (object: KubeObject, version: string): Promise<KubeObject & { spec?: object }> =>
  (await convertObjects(registry, [object], `webhooks.kubeforge.dev/${version}`))[0]!;

test('a field the target version cannot hold is kept in an annotation and restored on the way back', async () => {
  const v1 = await one(at('v2', { replicas: 3, tier: 'gold', color: 'red' }), 'v1');
  assert.deepEqual(v1.spec, { size: 3, color: 'red' });
  assert.deepEqual(JSON.parse(v1.metadata.annotations?.['conversion.kubeforge.dev/v2'] ?? ''), [
    { op: 'add', path: '/spec/tier', value: 'gold' },
  ]);
  const edited = { ...v1, spec: { size: 5, color: 'green' } } as KubeObject;
  const v2 = await one(edited, 'v2');
  assert.deepEqual(v2.spec, { replicas: 5, color: 'green', tier: 'gold' });
  assert.equal(v2.metadata.annotations, undefined);
});

test('a lossless conversion adds no annotation and keeps the metadata as it was', async () => {
  const source = at('v1', { size: 1 }, { keep: 'me' });
  const v2 = await one(source, 'v2');
  assert.deepEqual(v2.metadata, source.metadata);
  assert.equal(v2.apiVersion, 'webhooks.kubeforge.dev/v2');
});

test('an object already at the desired version is returned unchanged', async () => {
  const source = at('v2', { replicas: 1 });
  assert.equal(await one(source, 'v2'), source);
});

test('a throwing conversion function fails naming the object and the versions', async () => {
  const failing = conversion({
    group: 'webhooks.kubeforge.dev',
    kind: 'Widget',
    hub: 'v2',
    spokes: {
      v1: {
        toHub: () => {
          throw new Error('size must be a number');
        },
        fromHub: (o) => o,
      },
    },
  });
  await assert.rejects(
    convertObjects(
      new Map([['Widget.webhooks.kubeforge.dev', failing]]),
      [at('v1', {})],
      'webhooks.kubeforge.dev/v2',
    ),
    (error: unknown) =>
      error instanceof WebhookError &&
      error.reason === 'ConversionFailed' &&
      /converting Widget.webhooks.kubeforge.dev ns\/w from v1 to v2: size must be a number/.test(
        error.message,
      ),
  );
});

test('registering the hub as a spoke is refused', () => {
  assert.throws(
    () =>
      conversion({
        group: 'g.io',
        kind: 'K',
        hub: 'v1',
        spokes: { v1: { toHub: (o) => o, fromHub: (o) => o } },
      }),
    /v1 is the hub; remove it from spokes/,
  );
});

test('a spoke converts to another spoke through the hub, keeping what neither spoke holds', async () => {
  type Obj = KubeObject & { spec: Record<string, unknown> };
  const rename = (from: string, to: string) => (o: KubeObject) => {
    const { [from]: value, ...rest } = (o as Obj).spec;
    return { ...o, spec: { ...rest, [to]: value } } as KubeObject;
  };
  const three = conversion({
    group: 'g.io',
    kind: 'Thing',
    hub: 'v2',
    spokes: {
      // v1 calls it `size`, v2 `replicas`, v3 `count`; only the hub has `extra`.
      v1: { toHub: rename('size', 'replicas'), fromHub: (h) => rename('replicas', 'size')(dropExtra(h)) },
      v3: { toHub: rename('count', 'replicas'), fromHub: (h) => rename('replicas', 'count')(dropExtra(h)) },
    },
  });
  function dropExtra(o: KubeObject): KubeObject {
    const { extra: _extra, ...spec } = (o as Obj).spec;
    return { ...o, spec } as KubeObject;
  }
  const things = new Map([['Thing.g.io', three]]);
  const thing = (v: string, spec: object): KubeObject =>
    ({ apiVersion: `g.io/${v}`, kind: 'Thing', metadata: { name: 't' }, spec }) as KubeObject;
  const [v3] = await convertObjects(things, [thing('v1', { size: 2 })], 'g.io/v3');
  assert.deepEqual((v3 as Obj).spec, { count: 2 });
  const [v1] = await convertObjects(things, [thing('v2', { replicas: 4, extra: 'x' })], 'g.io/v1');
  const [hub] = await convertObjects(things, [v1!], 'g.io/v2');
  assert.deepEqual((hub as Obj).spec, { replicas: 4, extra: 'x' });
});
