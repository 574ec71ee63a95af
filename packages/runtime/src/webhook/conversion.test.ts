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
