/**
 * Lists read as they arrive (`listEach`) and metadata-only reads (`createMetadataClient`)
 * against a real API server: the same items as a buffered list for built-in kinds (metadata
 * first) and custom resources (keys sorted, metadata last), from the watch cache and paged
 * from etcd, and PartialObjectMetadata in lists, gets and watch events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { KubeObject, PartialObjectMetadata } from '../api/index.ts';
import {
  configMapResource,
  gadgetResource,
  TEST_CRDS,
  type ConfigMap,
  type Gadget,
} from '../testdata/gadgets.ts';
import { createResourceClient } from './create-resource-client.ts';
import { createMetadataClient } from './metadata-client.ts';
import type { ResourceClient } from './resource-client.ts';

const COUNT = 25;

async function collect<T extends KubeObject>(
  client: Pick<ResourceClient<T>, 'listEach'>,
  options: Parameters<ResourceClient<T>['listEach']>[0],
): Promise<{ items: T[]; resourceVersion: string | undefined; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let token: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const metadata = await client.listEach(
      token === undefined ? options : { ...withoutVersion(options), continue: token },
      (item) => items.push(item),
    );
    pages++;
    resourceVersion ??= metadata.resourceVersion;
    token = metadata.continue === '' ? undefined : metadata.continue;
  } while (token !== undefined);
  return { items, resourceVersion, pages };
}

function withoutVersion<O extends { resourceVersion?: string }>(options: O): Omit<O, 'resourceVersion'> {
  const { resourceVersion: _rv, ...rest } = options;
  return rest;
}

const names = (items: readonly KubeObject[]) => items.map((i) => i.metadata.name).sort();

describe('list decoding and metadata-only reads against a real API server', { timeout: 180_000 }, () => {
  let cp: ControlPlane;
  let namespace: string;
  let configMaps: ResourceClient<ConfigMap>;
  let gadgets: ResourceClient<Gadget>;

  before(async () => {
    cp = await startControlPlane();
    await installCRDs(cp.kubeConfig, TEST_CRDS);
    namespace = await createNamespace(cp.kubeConfig, 'list-decode');
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource).inNamespace(namespace);
    gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource).inNamespace(namespace);
    await Promise.all(
      Array.from({ length: COUNT }, async (_, i) => {
        await configMaps.create({
          metadata: { name: `cm-${i}`, namespace, labels: { app: 'x' } },
          // Escapes, quotes, brackets and multi-byte characters inside strings.
          data: { text: `"quoted" \\ {[}] é 😀 ${'x'.repeat(i * 40)}`, n: String(i) },
        });
        await gadgets.create({
          metadata: { name: `g-${i}`, namespace, annotations: { note: '}]"\\' } },
          spec: { size: i + 1, tags: ['a', '"b"'] },
        });
      }),
    );
  });

  after(async () => {
    await cp.stop();
  });

  test('listEach yields the same built-in objects as list, from the watch cache and paged', async () => {
    const buffered = await configMaps.list({});
    const cached = await collect(configMaps, { resourceVersion: '0', limit: 500 });
    assert.equal(cached.items.length, COUNT);
    assert.ok(cached.resourceVersion, 'the list metadata carries a resourceVersion');
    const byName = new Map(buffered.items.map((i) => [i.metadata.name, i]));
    for (const item of cached.items) {
      assert.equal(item.apiVersion, 'v1');
      assert.equal(item.kind, 'ConfigMap');
      assert.deepEqual(item.data, byName.get(item.metadata.name)?.data);
    }
    const paged = await collect(configMaps, { limit: 7 });
    assert.equal(paged.pages, 4);
    assert.deepEqual(names(paged.items), names(buffered.items));
  });

  test('listEach reads custom resource lists, whose metadata follows the items', async () => {
    const buffered = await gadgets.list({});
    const streamed = await collect(gadgets, { limit: 10 });
    assert.equal(streamed.pages, 3);
    assert.deepEqual(names(streamed.items), names(buffered.items));
    const g3 = streamed.items.find((g) => g.metadata.name === 'g-3');
    assert.ok(g3);
    assert.deepEqual(g3.spec, { size: 4, tags: ['a', '"b"'] });
    assert.equal(g3.metadata.annotations?.note, '}]"\\');
    assert.equal(g3.kind, 'Gadget');
  });

  test('omitManagedFields leaves managedFields out of streamed items and changes nothing else', async () => {
    for (const client of [configMaps, gadgets] as ResourceClient<KubeObject>[]) {
      const buffered = await client.list({});
      assert.ok(
        buffered.items.every((i) => (i.metadata.managedFields?.length ?? 0) > 0),
        'the server records managedFields on every object',
      );
      for (const options of [{ resourceVersion: '0', limit: 500 }, { limit: 7 }]) {
        const streamed = await collect(client, { ...options, omitManagedFields: true });
        const byName = new Map(streamed.items.map((i) => [i.metadata.name, i]));
        assert.equal(byName.size, COUNT);
        for (const item of buffered.items) {
          const { managedFields: _dropped, ...metadata } = item.metadata;
          assert.deepEqual(byName.get(item.metadata.name), { ...item, metadata }, item.metadata.name);
        }
      }
    }
  });

  test('listEach of an empty collection yields nothing and still gives the resourceVersion', async () => {
    const empty = await createNamespace(cp.kubeConfig, 'list-decode-empty');
    const client = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource).inNamespace(empty);
    const result = await collect(client, { resourceVersion: '0', limit: 500 });
    assert.deepEqual(result.items, []);
    assert.ok(result.resourceVersion);
  });

  test('a metadata client lists, gets and watches PartialObjectMetadata with the kind of the objects', async () => {
    for (const [resource, prefix, apiVersion, kind] of [
      [configMapResource, 'cm', 'v1', 'ConfigMap'],
      [gadgetResource, 'g', 'runtime.kubeforge.dev/v1', 'Gadget'],
    ] as const) {
      const client = createMetadataClient(cp.kubeConfig, resource).inNamespace(namespace);
      const check = (object: PartialObjectMetadata) => {
        assert.deepEqual(Object.keys(object).sort(), ['apiVersion', 'kind', 'metadata']);
        assert.equal(object.apiVersion, apiVersion);
        assert.equal(object.kind, kind);
        assert.ok(object.metadata.uid);
      };
      const listed = await client.list({});
      assert.equal(listed.items.length, COUNT);
      listed.items.forEach(check);
      const streamed = await collect(client, { resourceVersion: '0', limit: 500 });
      assert.equal(streamed.items.length, COUNT);
      streamed.items.forEach(check);
      const one = await client.get(`${prefix}-1`);
      check(one);
      assert.equal(one.metadata.name, `${prefix}-1`);

      const abort = new AbortController();
      const events: PartialObjectMetadata[] = [];
      const watching = (async () => {
        for await (const event of client.watch({
          resourceVersion: listed.metadata.resourceVersion ?? '',
          signal: abort.signal,
        })) {
          if (event.type === 'modified') {
            events.push(event.object);
            abort.abort();
          }
        }
      })();
      const full = createResourceClient<KubeObject>(cp.kubeConfig, resource);
      await full.patch(
        `${prefix}-2`,
        { type: 'merge', patch: { metadata: { labels: { touched: 'yes' } } } },
        { namespace },
      );
      await watching;
      assert.equal(events.length, 1);
      const [event] = events;
      assert.ok(event);
      check(event);
      assert.equal(event.metadata.labels?.touched, 'yes');
    }
  });
});
