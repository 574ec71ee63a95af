/**
 * ResourceClient against a real kube-apiserver (@kubeforge/testing): every verb, the status
 * subresource, the three patch kinds, optimistic concurrency, paging, watch and typed errors.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import type { KubeObject, WatchEvent } from '../api/index.ts';
import {
  clusterGadgetResource,
  configMapResource,
  gadgetResource,
  TEST_CRDS,
  type ClusterGadget,
  type ConfigMap,
  type Gadget,
} from '../testdata/gadgets.ts';
import { createResourceClient } from './create-resource-client.ts';
import {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isUnauthorized,
  NetworkError,
} from './errors.ts';
import type { ResourceClient } from './resource-client.ts';
import { retryOnConflict } from './retry.ts';
import { createTransport } from './transport.ts';

const gadget = (name: string, namespace: string, spec: Partial<Gadget['spec']> = {}): Gadget => ({
  metadata: { name, namespace },
  spec: { size: 1, ...spec },
});

async function collect<T>(
  iterable: AsyncIterable<T>,
  until: (item: T, all: readonly T[]) => boolean,
): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
    if (until(item, items)) break;
  }
  return items;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

function names(items: readonly KubeObject[]): string[] {
  return items.map((item) => item.metadata.name ?? '').sort();
}

describe('ResourceClient against a real API server', () => {
  let cp: ControlPlane;
  let gadgets: ResourceClient<Gadget>;
  let clusterGadgets: ResourceClient<ClusterGadget>;
  let configMaps: ResourceClient<ConfigMap>;
  let ns: string;

  before(async () => {
    // Token users, a restart and in-cluster credentials with the server's CA: always a control
    // plane of its own, also when the suite runs on an existing cluster.
    cp = await startControlPlane({ users: [{ name: 'alice' }], useExistingCluster: false });
    await installCRDs(cp.kubeConfig, TEST_CRDS);
    gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource, { fieldManager: 'kubeforge-test' });
    clusterGadgets = createResourceClient<ClusterGadget>(cp.kubeConfig, clusterGadgetResource);
    configMaps = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
    ns = await createNamespace(cp.kubeConfig, 'client');
  });
  after(() => cp.stop());

  describe('CRUD', () => {
    test('a namespaced custom resource can be created, read, listed, updated and deleted', async () => {
      const created = await gadgets.create(gadget('crud', ns, { color: 'red' }));
      assert.equal(created.apiVersion, 'runtime.kubeforge.dev/v1');
      assert.equal(created.kind, 'Gadget');
      assert.ok(created.metadata.uid);

      const read = await gadgets.get('crud', { namespace: ns });
      assert.deepEqual(read.spec, { size: 1, color: 'red' });

      const listed = await gadgets.list({ namespace: ns });
      assert.ok(names(listed.items).includes('crud'));
      assert.ok(listed.metadata.resourceVersion);
      assert.equal(listed.items.find((item) => item.metadata.name === 'crud')?.kind, 'Gadget');

      read.spec.size = 2;
      const updated = await gadgets.update(read);
      assert.equal(updated.spec.size, 2);
      assert.notEqual(updated.metadata.resourceVersion, read.metadata.resourceVersion);
      assert.equal(updated.metadata.generation, 2);

      const result = await gadgets.delete('crud', { namespace: ns });
      assert.equal(result.status, 'deleted');
      await assert.rejects(gadgets.get('crud', { namespace: ns }), isNotFound);
    });

    test('a cluster-scoped custom resource works without a namespace', async () => {
      const created = await clusterGadgets.create({ metadata: { name: 'eu-1' }, spec: { region: 'eu' } });
      assert.equal(created.metadata.namespace, undefined);
      const read = await clusterGadgets.get('eu-1');
      read.spec.capacity = 10;
      await clusterGadgets.update(read);
      assert.ok(names((await clusterGadgets.list()).items).includes('eu-1'));
      assert.equal((await clusterGadgets.get('eu-1')).spec.capacity, 10);
      await clusterGadgets.delete('eu-1');
      await assert.rejects(clusterGadgets.get('eu-1'), isNotFound);
    });

    test('core resources (group "") are served from /api/v1', async () => {
      const created = await configMaps.create({
        metadata: { name: 'settings', namespace: ns },
        data: { a: '1' },
      });
      assert.equal(created.apiVersion, 'v1');
      assert.equal(created.kind, 'ConfigMap');
      const patched = await configMaps.patch(
        'settings',
        { type: 'strategic', patch: { data: { b: '2' } } },
        { namespace: ns },
      );
      assert.deepEqual(patched.data, { a: '1', b: '2' });
      const listed = await configMaps.inNamespace(ns).list();
      assert.equal(listed.items.find((item) => item.metadata.name === 'settings')?.kind, 'ConfigMap');
      await configMaps.delete('settings', { namespace: ns });
      await assert.rejects(configMaps.get('settings', { namespace: ns }), isNotFound);
    });

    test('generateName lets the server pick the name', async () => {
      const created = await gadgets.create({
        metadata: { generateName: 'gen-', namespace: ns },
        spec: { size: 1 },
      });
      assert.match(created.metadata.name ?? '', /^gen-\w+$/);
    });
  });

  describe('status subresource', () => {
    test('updateStatus changes status but not spec, update changes spec but not status', async () => {
      const created = await gadgets.create(gadget('status', ns));

      const statusWrite = await gadgets.updateStatus({
        ...created,
        spec: { size: 99 },
        status: { phase: 'Ready', observedGeneration: 1 },
      });
      assert.deepEqual(statusWrite.status, { phase: 'Ready', observedGeneration: 1 });
      assert.equal(statusWrite.spec.size, 1);

      const specWrite = await gadgets.update({
        ...statusWrite,
        spec: { size: 5 },
        status: { phase: 'Broken' },
      });
      assert.equal(specWrite.spec.size, 5);
      assert.deepEqual(specWrite.status, { phase: 'Ready', observedGeneration: 1 });
      assert.equal(specWrite.metadata.generation, 2);
    });

    test('modify with status: true updates the status from a fresh read', async () => {
      await gadgets.create(gadget('modify-status', ns));
      const result = await gadgets.modify(
        'modify-status',
        (current) => {
          current.status = { phase: 'Done' };
        },
        { namespace: ns, status: true },
      );
      assert.equal(result.status?.phase, 'Done');
    });
  });

  describe('patch', () => {
    test('a JSON merge patch merges objects and deletes fields set to null', async () => {
      await gadgets.create(gadget('merge', ns, { color: 'red', settings: { a: '1' } }));
      const patched = await gadgets.patch(
        'merge',
        { type: 'merge', patch: { spec: { color: null, settings: { b: '2' } } } },
        { namespace: ns },
      );
      assert.deepEqual(patched.spec, { size: 1, settings: { a: '1', b: '2' } });
    });

    test('a JSON patch applies its operations in order, atomically', async () => {
      await gadgets.create(gadget('json', ns, { tags: ['a'] }));
      const patched = await gadgets.patch(
        'json',
        {
          type: 'json',
          operations: [
            { op: 'test', path: '/spec/size', value: 1 },
            { op: 'add', path: '/spec/tags/-', value: 'b' },
            { op: 'replace', path: '/spec/size', value: 7 },
          ],
        },
        { namespace: ns },
      );
      assert.deepEqual(patched.spec, { size: 7, tags: ['a', 'b'] });

      await assert.rejects(
        gadgets.patch(
          'json',
          {
            type: 'json',
            operations: [
              { op: 'add', path: '/spec/tags/-', value: 'c' },
              { op: 'test', path: '/spec/size', value: 1 },
            ],
          },
          { namespace: ns },
        ),
        (error) => error instanceof ApiError && error.code >= 400 && error.code < 500,
      );
      assert.deepEqual((await gadgets.get('json', { namespace: ns })).spec.tags, ['a', 'b']);
    });

    test('server-side apply records the field manager, conflicts with another owner, and force takes over', async () => {
      const applied = await gadgets.apply({
        metadata: { name: 'apply', namespace: ns },
        spec: { size: 3, color: 'red' },
      });
      assert.equal(applied.spec.size, 3);
      assert.ok(applied.metadata.managedFields?.some((entry) => entry.manager === 'kubeforge-test'));

      const other = { metadata: { name: 'apply', namespace: ns }, spec: { size: 4 } };
      await assert.rejects(gadgets.apply(other, { fieldManager: 'other-controller' }), isConflict);

      const forced = await gadgets.apply(other, { fieldManager: 'other-controller', force: true });
      assert.equal(forced.spec.size, 4);
      assert.equal(forced.spec.color, 'red');
    });

    test('apply can patch the status subresource', async () => {
      await gadgets.create(gadget('apply-status', ns));
      const applied = await gadgets.apply(
        { metadata: { name: 'apply-status', namespace: ns }, status: { phase: 'Applied' } },
        { subresource: 'status' },
      );
      assert.equal(applied.status?.phase, 'Applied');
    });
  });

  describe('optimistic concurrency', () => {
    test('an update with a stale resourceVersion fails with Conflict', async () => {
      const stale = await gadgets.create(gadget('stale', ns));
      await gadgets.update({ ...stale, spec: { size: 2 } });
      await assert.rejects(gadgets.update({ ...stale, spec: { size: 3 } }), (error) => {
        assert.ok(isConflict(error));
        assert.equal(error.code, 409);
        return true;
      });
    });

    test('retryOnConflict recovers from a concurrent writer by reading fresh', async () => {
      await gadgets.create(gadget('contended', ns, { tags: [] }));
      let attempts = 0;
      const result = await retryOnConflict(async () => {
        attempts++;
        const current = await gadgets.get('contended', { namespace: ns });
        if (attempts === 1) {
          // Another writer gets in between our read and our write.
          const theirs = await gadgets.get('contended', { namespace: ns });
          await gadgets.update({ ...theirs, spec: { ...theirs.spec, tags: ['theirs'] } });
        }
        current.spec.tags = [...(current.spec.tags ?? []), 'ours'];
        return gadgets.update(current);
      });
      assert.equal(attempts, 2);
      assert.deepEqual(result.spec.tags, ['theirs', 'ours']);
    });

    test('modify applies a mutation to a fresh read and retries conflicts', async () => {
      await gadgets.create(gadget('counter', ns, { size: 1 }));
      await Promise.all(
        Array.from({ length: 4 }, () =>
          gadgets.modify(
            'counter',
            (current) => {
              current.spec.size += 1;
            },
            { namespace: ns },
          ),
        ),
      );
      assert.equal((await gadgets.get('counter', { namespace: ns })).spec.size, 5);
    });

    test('modify skips the write when the mutation returns false', async () => {
      const created = await gadgets.create(gadget('unchanged', ns));
      const result = await gadgets.modify('unchanged', () => false, { namespace: ns });
      assert.equal(result.metadata.resourceVersion, created.metadata.resourceVersion);
    });
  });

  describe('delete', () => {
    test('preconditions on uid and resourceVersion guard the delete', async () => {
      const created = await gadgets.create(gadget('guarded', ns));
      await assert.rejects(
        gadgets.delete('guarded', { namespace: ns, preconditions: { uid: 'not-the-uid' } }),
        isConflict,
      );
      await assert.rejects(
        gadgets.delete('guarded', { namespace: ns, preconditions: { resourceVersion: '1' } }),
        isConflict,
      );
      const result = await gadgets.delete('guarded', {
        namespace: ns,
        preconditions: {
          uid: created.metadata.uid ?? '',
          resourceVersion: created.metadata.resourceVersion ?? '',
        },
        propagationPolicy: 'Background',
        gracePeriodSeconds: 0,
      });
      assert.equal(result.status, 'deleted');
      await assert.rejects(gadgets.get('guarded', { namespace: ns }), isNotFound);
    });

    test('an object held by a finalizer is reported pending until the finalizer is removed', async () => {
      await gadgets.create({
        ...gadget('finalized', ns),
        metadata: { name: 'finalized', namespace: ns, finalizers: ['kubeforge.dev/test'] },
      });
      const result = await gadgets.delete('finalized', { namespace: ns });
      assert.ok(result.status === 'pending', `expected pending, got ${result.status}`);
      assert.ok(result.object.metadata.deletionTimestamp);
      await gadgets.patch(
        'finalized',
        { type: 'merge', patch: { metadata: { finalizers: null } } },
        { namespace: ns },
      );
      await assert.rejects(gadgets.get('finalized', { namespace: ns }), isNotFound);
    });

    test('deleteCollection deletes only the objects its label selector matches', async () => {
      const collectionNs = await createNamespace(cp.kubeConfig, 'delcoll');
      for (const name of ['a', 'b', 'c']) {
        await gadgets.create({
          ...gadget(name, collectionNs),
          metadata: { name, namespace: collectionNs, labels: { batch: 'old' } },
        });
      }
      for (const name of ['d', 'e']) await gadgets.create(gadget(name, collectionNs));
      await gadgets.deleteCollection({ namespace: collectionNs, labelSelector: 'batch=old' });
      assert.deepEqual(names((await gadgets.list({ namespace: collectionNs })).items), ['d', 'e']);
    });

    test('a dry-run create is validated but not persisted, and a dry-run delete deletes nothing', async () => {
      const dry = await gadgets.create(gadget('dry', ns), { dryRun: true });
      assert.equal(dry.metadata.name, 'dry');
      await assert.rejects(gadgets.get('dry', { namespace: ns }), isNotFound);
      await assert.rejects(
        gadgets.create(gadget('dry-invalid', ns, { size: 0 }), { dryRun: true }),
        isInvalid,
      );

      await gadgets.create(gadget('kept', ns));
      await gadgets.delete('kept', { namespace: ns, dryRun: true });
      assert.equal((await gadgets.get('kept', { namespace: ns })).metadata.name, 'kept');
    });
  });

  describe('list paging', () => {
    test('limit and continue page through more objects than one page, and listAll collects them all', async () => {
      const pagingNs = await createNamespace(cp.kubeConfig, 'paging');
      const expected = Array.from({ length: 7 }, (_, index) => `item-${index}`);
      for (const name of expected) await gadgets.create(gadget(name, pagingNs));

      const first = await gadgets.list({ namespace: pagingNs, limit: 3 });
      assert.equal(first.items.length, 3);
      assert.ok(first.metadata.continue);
      const seen = [...first.items];
      let token: string | undefined = first.metadata.continue;
      while (token) {
        const page = await gadgets.list({ namespace: pagingNs, limit: 3, continue: token });
        seen.push(...page.items);
        token = page.metadata.continue;
      }
      assert.deepEqual(names(seen), expected);

      const all = await gadgets.listAll({ namespace: pagingNs, pageSize: 2 });
      assert.deepEqual(names(all.items), expected);
      assert.ok(all.metadata.resourceVersion);
    });

    test('label and field selectors filter on the server', async () => {
      const selectorNs = await createNamespace(cp.kubeConfig, 'selectors');
      await gadgets.create({
        ...gadget('blue', selectorNs),
        metadata: { name: 'blue', namespace: selectorNs, labels: { tier: 'web' } },
      });
      await gadgets.create(gadget('plain', selectorNs));
      assert.deepEqual(
        names((await gadgets.list({ namespace: selectorNs, labelSelector: 'tier in (web)' })).items),
        ['blue'],
      );
      assert.deepEqual(
        names((await gadgets.list({ namespace: selectorNs, fieldSelector: 'metadata.name=plain' })).items),
        ['plain'],
      );
    });

    test('resourceVersion=0 with NotOlderThan is served', async () => {
      const list = await gadgets.list({
        namespace: ns,
        resourceVersion: '0',
        resourceVersionMatch: 'NotOlderThan',
      });
      assert.ok(list.metadata.resourceVersion);
    });
  });

  describe('watch', () => {
    test('delivers added, modified and deleted events after the listed resourceVersion', async () => {
      const watchNs = await createNamespace(cp.kubeConfig, 'watch');
      const list = await gadgets.list({ namespace: watchNs });
      const controller = new AbortController();
      const events = collect(
        gadgets.watch({
          namespace: watchNs,
          resourceVersion: list.metadata.resourceVersion ?? '',
          allowWatchBookmarks: true,
          signal: controller.signal,
        }),
        (event) => event.type === 'deleted',
      );
      const created = await gadgets.create(gadget('w', watchNs));
      await gadgets.update({ ...created, spec: { size: 2 } });
      await gadgets.delete('w', { namespace: watchNs });
      const seen = (await events).filter((event) => event.type !== 'bookmark');
      controller.abort();
      assert.deepEqual(
        seen.map((event) => event.type),
        ['added', 'modified', 'deleted'],
      );
      const modified = seen[1];
      assert.ok(modified?.type === 'modified');
      assert.equal(modified.object.spec.size, 2);
      assert.equal(modified.object.kind, 'Gadget');
    });

    test('sends bookmarks when asked and ends when the server closes the stream', async () => {
      const list = await gadgets.list({ namespace: ns });
      let unmatched: Promise<Gadget> | undefined;
      // Once the watch is registered, a change its selector filters out: the API server then
      // reports progress past it with a bookmark shortly (2 s) before the timeout.
      const changeLater = setTimeout(() => {
        unmatched = gadgets.create(gadget('bookmarked', ns));
      }, 300);
      let activity = 0;
      const events: WatchEvent<Gadget>[] = [];
      try {
        for await (const event of gadgets.watch({
          namespace: ns,
          labelSelector: 'matches=nothing',
          resourceVersion: list.metadata.resourceVersion ?? '',
          allowWatchBookmarks: true,
          timeoutSeconds: 4,
          onActivity: () => activity++,
        })) {
          events.push(event);
        }
      } finally {
        clearTimeout(changeLater);
      }
      const created = await (unmatched ?? assert.fail('the change was not made'));
      // The server may repeat a bookmark; nothing else passes the selector.
      const context = `events: ${JSON.stringify(events)}, change at ${created.metadata.resourceVersion ?? ''}`;
      assert.ok(events.length > 0 && events.every((event) => event.type === 'bookmark'), context);
      const bookmark = events.at(-1);
      assert.ok(bookmark?.type === 'bookmark');
      assert.ok(BigInt(bookmark.resourceVersion) >= BigInt(created.metadata.resourceVersion ?? ''));
      assert.ok(activity >= 1);
    });

    test('aborting the signal ends the iteration without an error', async () => {
      const controller = new AbortController();
      const iteration = collect(gadgets.watch({ namespace: ns, signal: controller.signal }), () => false);
      setTimeout(() => controller.abort(), 200);
      await iteration;
    });

    test('a label-selected watch across all namespaces sees only matching objects', async () => {
      const list = await gadgets.list({});
      const controller = new AbortController();
      const events = collect(
        gadgets.watch({
          resourceVersion: list.metadata.resourceVersion ?? '',
          labelSelector: 'watched=yes',
          signal: controller.signal,
        }),
        (event) => event.type === 'added',
      );
      await gadgets.create(gadget('unwatched', ns));
      await gadgets.create({
        ...gadget('watched', ns),
        metadata: { name: 'watched', namespace: ns, labels: { watched: 'yes' } },
      });
      const seen = await events;
      controller.abort();
      assert.deepEqual(
        seen.map((event) => (event.type === 'added' ? event.object.metadata.name : event.type)),
        ['watched'],
      );
    });

    test('a watch the server refuses throws an ApiError with its status', async () => {
      const drain = async (events: AsyncIterable<unknown>): Promise<void> => {
        for await (const _ of events) assert.fail('no event expected');
      };
      const asAlice = createResourceClient<Gadget>(cp.kubeConfigFor('alice'), gadgetResource);
      await assert.rejects(drain(asAlice.watch({ namespace: ns })), isForbidden);
      const unknown = createResourceClient<Gadget>(cp.kubeConfig, {
        ...gadgetResource,
        plural: 'nonexistents',
      });
      await assert.rejects(drain(unknown.watch({ namespace: ns })), isNotFound);
    });

    test('an expired resourceVersion is reported as a 410 error event or ApiError', async () => {
      const outcome = await (async () => {
        try {
          for await (const event of gadgets.watch({ namespace: ns, resourceVersion: '1' })) {
            if (event.type === 'error') return event.status.code;
          }
          return 'ended';
        } catch (error) {
          return isGone(error) ? 410 : error;
        }
      })();
      assert.equal(outcome, 410);
    });
  });

  describe('typed errors', () => {
    test('NotFound, AlreadyExists and Invalid with the field path', async () => {
      await assert.rejects(gadgets.get('missing', { namespace: ns }), (error) => {
        assert.ok(isNotFound(error));
        assert.equal(error.status?.details?.name, 'missing');
        return true;
      });
      await gadgets.create(gadget('twice', ns));
      await assert.rejects(gadgets.create(gadget('twice', ns)), isAlreadyExists);
      await assert.rejects(gadgets.create(gadget('invalid', ns, { size: 1000 })), (error) => {
        assert.ok(isInvalid(error));
        assert.equal(error.code, 422);
        assert.deepEqual(
          error.causes.map((cause) => cause.field),
          ['spec.size'],
        );
        return true;
      });
    });

    test('Forbidden for a user without RBAC rights', async () => {
      const asAlice = createResourceClient<Gadget>(cp.kubeConfigFor('alice'), gadgetResource);
      await assert.rejects(asAlice.list({ namespace: ns }), (error) => {
        assert.ok(isForbidden(error));
        assert.equal(error.code, 403);
        return true;
      });
    });

    test('Unauthorized for a bad token', async () => {
      const cluster = cp.kubeConfig.getCurrentCluster() ?? assert.fail('no cluster');
      const badToken = new KubeConfig();
      badToken.loadFromClusterAndUser(cluster, { name: 'intruder', token: 'not-a-token' });
      await assert.rejects(
        createResourceClient<Gadget>(badToken, gadgetResource).list({ namespace: ns }),
        isUnauthorized,
      );
    });

    test('a refused connection is a NetworkError, not an ApiError', async () => {
      const cluster = cp.kubeConfig.getCurrentCluster() ?? assert.fail('no cluster');
      const nowhere = new KubeConfig();
      nowhere.loadFromClusterAndUser(
        { ...cluster, name: 'nowhere', server: 'https://127.0.0.1:1' },
        { name: 'u', token: 't' },
      );
      await assert.rejects(createResourceClient<Gadget>(nowhere, gadgetResource).list(), (error) => {
        assert.ok(error instanceof NetworkError);
        assert.equal(error.reason, 'ConnectionRefused');
        assert.ok(error.cause);
        return true;
      });
    });

    test('a server that accepts but never answers fails the call with a NetworkError Timeout', async () => {
      // A stalled peer, not an API server: it reads the request and stays silent.
      const silent = createServer((socket) => socket.resume());
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      const stalled = new KubeConfig();
      stalled.loadFromClusterAndUser(
        { name: 'stalled', server: `http://127.0.0.1:${port}`, skipTLSVerify: true },
        { name: 'u', token: 't' },
      );
      const transport = createTransport(stalled, { timeoutMs: 200 });
      try {
        const started = performance.now();
        await assert.rejects(
          createResourceClient<Gadget>(stalled, gadgetResource, { transport }).list(),
          (error) => error instanceof NetworkError && error.reason === 'Timeout',
        );
        assert.ok(performance.now() - started < 5000);
      } finally {
        await transport.destroy();
        silent.close();
      }
    });

    test('aborting a call rejects with the signal reason', async () => {
      const reason = new Error('caller gave up');
      await assert.rejects(gadgets.list({ signal: AbortSignal.abort(reason) }), (error) => error === reason);
    });
  });

  describe('connections', () => {
    test('sequential requests reuse kept-alive connections instead of opening one each', async () => {
      const transport = createTransport(cp.kubeConfig);
      try {
        const client = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource, { transport });
        await client.create(gadget('reused', ns));
        for (let index = 0; index < 20; index++) {
          await client.patch(
            'reused',
            { type: 'merge', patch: { spec: { size: index + 1 } } },
            { namespace: ns },
          );
          await client.get('reused', { namespace: ns });
        }
        // undici marks a connection busy until the tick after its response ends, so a request
        // sent immediately after may take a second connection; never more.
        const stats = transport.stats() ?? assert.fail('no stats');
        assert.ok(stats.connected <= 2, `41 requests opened ${stats.connected} connections`);
        assert.equal(stats.running, 0);
      } finally {
        await transport.close();
      }
    });

    test('an open watch holds its own connection while requests use another', async () => {
      const transport = createTransport(cp.kubeConfig);
      const controller = new AbortController();
      try {
        const client = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource, { transport });
        const list = await client.list({ namespace: ns });
        const watching = collect(
          client.watch({
            namespace: ns,
            resourceVersion: list.metadata.resourceVersion ?? '',
            signal: controller.signal,
          }),
          (event) => event.type === 'added',
        );
        await client.create(gadget('while-watching', ns));
        await watching;
        // The watch rides its own (HTTP/2) pool; requests one keep-alive connection, or two when
        // undici still counts the list's connection busy for a tick as the create is sent.
        const connected = transport.stats()?.connected ?? 0;
        assert.ok(connected >= 2 && connected <= 3, `${connected} connections`);
      } finally {
        controller.abort();
        await transport.close();
      }
    });
  });

  describe('API server restart', () => {
    test('the transport recovers: reads and writes succeed once the server is back', async (t) => {
      const local = cp.local;
      if (local === undefined) {
        t.skip('needs the local control plane');
        return;
      }
      await gadgets.create(gadget('survivor', ns));
      await local.restartApiServer();
      assert.equal((await gadgets.get('survivor', { namespace: ns })).metadata.name, 'survivor');
      const updated = await gadgets.modify(
        'survivor',
        (current) => {
          current.spec.size = 9;
        },
        { namespace: ns },
      );
      assert.equal(updated.spec.size, 9);
    });
  });

  describe('credentials', () => {
    test('in-cluster configuration (service account token file and CA) works', async () => {
      const cluster = cp.kubeConfig.getCurrentCluster() ?? assert.fail('no cluster');
      const adminToken = cp.kubeConfig.getCurrentUser()?.token ?? assert.fail('admin token expected');
      const server = new URL(cluster.server);
      const root = mkdtempSync(join(tmpdir(), 'kubeforge-in-cluster-'));
      const accountDir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
      mkdirSync(accountDir, { recursive: true });
      writeFileSync(join(accountDir, 'token'), adminToken);
      writeFileSync(join(accountDir, 'ca.crt'), Buffer.from(cluster.caData ?? '', 'base64'));
      writeFileSync(join(accountDir, 'namespace'), ns);
      const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
      const inCluster = new KubeConfig();
      try {
        process.env.KUBERNETES_SERVICE_HOST = server.hostname;
        process.env.KUBERNETES_SERVICE_PORT = server.port;
        inCluster.loadFromCluster(root);
      } finally {
        restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
        restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
      }
      const transport = createTransport(inCluster);
      try {
        const client = createResourceClient<Gadget>(inCluster, gadgetResource, { transport });
        assert.ok((await client.list({ namespace: ns })).metadata.resourceVersion);
      } finally {
        await transport.close();
        rmSync(root, { recursive: true, force: true });
      }
    });

    test('exec plugin credentials are used and re-derived after a 401', async () => {
      const cluster = cp.kubeConfig.getCurrentCluster() ?? assert.fail('no cluster');
      const adminToken = cp.kubeConfig.getCurrentUser()?.token ?? assert.fail('admin token expected');
      const dir = mkdtempSync(join(tmpdir(), 'kubeforge-exec-'));
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'wrong-token');
      // Credentials expire after 1 s, so client-node runs the plugin again once they are stale.
      const script = `
        const token = require('fs').readFileSync(${JSON.stringify(tokenFile)}, 'utf8');
        const expirationTimestamp = new Date(Date.now() + 1000).toISOString();
        console.log(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential',
          status: { token, expirationTimestamp } }));`;
      const execConfig = new KubeConfig();
      execConfig.loadFromClusterAndUser(cluster, {
        name: 'exec-user',
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: process.execPath,
          args: ['-e', script],
        },
      });
      const transport = createTransport(execConfig, { authRefreshIntervalMs: 60_000 });
      try {
        const client = createResourceClient<Gadget>(execConfig, gadgetResource, { transport });
        await assert.rejects(client.list({ namespace: ns }), isUnauthorized);
        writeFileSync(tokenFile, adminToken);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        // The cached (wrong) token gets a 401; the transport re-derives and retries once.
        assert.ok((await client.list({ namespace: ns })).metadata.resourceVersion);
      } finally {
        await transport.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
