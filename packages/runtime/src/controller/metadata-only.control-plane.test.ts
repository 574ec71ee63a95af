/**
 * Metadata-only watches against a real API server: a controller that owns Secrets by metadata
 * only is reconciled when a child changes or goes away, its predicates, mapping and cached
 * reads see PartialObjectMetadata (never the Secret's data), and the metadata-only and full
 * informers of one kind are separate caches.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../api/index.ts';
import { createSharedInformerFactory } from '../cache/shared-informer-factory.ts';
import { createResourceClient } from '../client/create-resource-client.ts';
import { isNotFound } from '../client/errors.ts';
import { noopLogger } from '../log/logger.ts';
import { createManager } from '../manager/manager.ts';
import type { Manager } from '../manager/types.ts';
import { setControllerReference } from '../ownership/owner-references.ts';
import {
  configMapResource,
  GADGETS_CRD,
  gadgetResource,
  type ConfigMap,
  type Gadget,
} from '../testdata/gadgets.ts';
import { eventually } from '../cache/testing/eventually.ts';
import { controllerFor } from './builder.ts';

interface Secret extends KubeObject {
  data?: Record<string, string>;
}

const secretResource = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
} as const satisfies ResourceDescriptor<Secret>;

/** Everything but type meta and metadata: what a metadata-only object must never carry. */
const extraFields = (object: KubeObject): string[] =>
  Object.keys(object).filter((key) => key !== 'apiVersion' && key !== 'kind' && key !== 'metadata');

describe('metadata-only watches against a real API server', { timeout: 180_000 }, () => {
  let cp: ControlPlane;
  let namespace: string;
  let manager: Manager;
  let running: Promise<void>;
  const reconciled = new Map<string, number>();
  /** Every child a predicate was shown. */
  const seenByPredicate: PartialObjectMetadata[] = [];
  /** What the reconciler read of its child from the cache, last. */
  let cachedChild: PartialObjectMetadata | undefined;

  before(async () => {
    cp = await startControlPlane();
    await installCRDs(cp.kubeConfig, [GADGETS_CRD]);
    namespace = await createNamespace(cp.kubeConfig, 'metadata-only');
    manager = createManager({
      kubeConfig: cp.kubeConfig,
      name: 'metadata-only-test',
      logger: noopLogger,
      handleSignals: false,
      shutdownTimeoutMs: 2000,
      cache: { namespace },
    });
    const secrets = manager.client.resource<Secret>(secretResource);
    manager.add(
      controllerFor<Gadget>(gadgetResource)
        .owns(secretResource, {
          metadataOnly: true,
          predicates: [
            (event) => {
              const child = event.type === 'update' ? event.newObject : event.object;
              seenByPredicate.push(child);
              return true;
            },
          ],
        })
        .complete(async (request, context) => {
          const ns = request.namespace ?? '';
          const gadget = await context.client
            .resource<Gadget>(gadgetResource)
            .get(request.name, { namespace: ns });
          if (gadget === undefined) return {};
          reconciled.set(request.name, (reconciled.get(request.name) ?? 0) + 1);
          const childName = `${request.name}-secret`;
          const found = await context.client.metadata(secretResource).get(childName, { namespace: ns });
          if (found !== undefined) cachedChild = found;
          else {
            const secret: Secret = {
              metadata: { name: childName, namespace: ns },
              data: { payload: Buffer.alloc(8192, 7).toString('base64') },
            };
            setControllerReference(gadget, secret);
            try {
              await secrets.create(secret);
            } catch (error) {
              // The cache may lag behind a create of the previous reconcile.
              if (!(error instanceof Error && error.message.includes('already exists'))) throw error;
            }
          }
          return {};
        }),
    );
    running = manager.start();
  });

  after(async () => {
    await manager.stop();
    await running;
    await cp.stop();
  });

  test('a change to a child owned by metadata only reconciles its owner', async () => {
    const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
    const secrets = createResourceClient<Secret>(cp.kubeConfig, secretResource);
    await gadgets.create({ metadata: { name: 'owner', namespace }, spec: { size: 1 } });
    await eventually(async () => {
      try {
        return (await secrets.get('owner-secret', { namespace })).data?.payload !== undefined;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    }, 'the child Secret');
    await eventually(() => cachedChild?.metadata.name === 'owner-secret', 'the child in the metadata cache');

    const before = reconciled.get('owner') ?? 0;
    await secrets.patch(
      'owner-secret',
      { type: 'merge', patch: { metadata: { labels: { touched: 'yes' } } } },
      { namespace },
    );
    await eventually(() => (reconciled.get('owner') ?? 0) > before, 'a reconcile after the child changed');
    await eventually(
      () => cachedChild?.metadata.labels?.touched === 'yes',
      'the change in the metadata cache',
    );

    const afterChange = reconciled.get('owner') ?? 0;
    await secrets.delete('owner-secret', { namespace });
    await eventually(
      () => (reconciled.get('owner') ?? 0) > afterChange,
      'a reconcile after the child was deleted',
    );
  });

  test('predicates, the cached reader and the informer hold PartialObjectMetadata, never the data', async () => {
    await eventually(() => seenByPredicate.length > 0, 'events of the child');
    for (const child of [...seenByPredicate, cachedChild]) {
      assert.ok(child);
      assert.equal(child.apiVersion, 'v1');
      assert.equal(child.kind, 'Secret');
      assert.deepEqual(extraFields(child), []);
    }
    const entries = manager.informers.informers().filter((e) => e.resource.plural === 'secrets');
    assert.deepEqual(
      entries.map((e) => e.metadataOnly),
      [true],
      'only a metadata-only informer of Secrets was started',
    );
    const [entry] = entries;
    assert.ok(entry);
    for (const object of entry.informer.lister.list()) assert.deepEqual(extraFields(object), []);
  });

  test('the metadata-only and the full informer of one kind are separate caches', async () => {
    const configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
    await configMaps.create({ metadata: { name: 'both', namespace }, data: { key: 'value' } });
    const factory = createSharedInformerFactory({ kubeConfig: cp.kubeConfig, logger: noopLogger });
    try {
      const full = factory.informerFor<ConfigMap>(configMapResource, { namespace });
      const metadata = factory.metadataInformerFor(configMapResource, { namespace });
      assert.equal(Object.is(full, metadata), false, 'distinct informers');
      assert.equal(factory.metadataInformerFor(configMapResource, { namespace }), metadata, 'shared');
      factory.start();
      assert.equal(await factory.waitForCacheSync(), true);
      assert.deepEqual(full.lister.get(namespace, 'both')?.data, { key: 'value' });
      const partial = metadata.lister.get(namespace, 'both');
      assert.ok(partial);
      assert.equal(partial.kind, 'ConfigMap');
      assert.deepEqual(extraFields(partial), []);
      assert.deepEqual(
        factory
          .informers()
          .map((e) => e.metadataOnly)
          .sort(),
        [false, true],
      );
    } finally {
      await factory.stop();
    }
  });
});
