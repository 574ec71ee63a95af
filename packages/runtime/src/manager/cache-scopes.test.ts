/**
 * The manager's cache scopes and indexes are validated when declared, with messages that say
 * what is wrong, where, and how to fix it; removing a controller releases what it held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ResourceDescriptor } from '../api/index.ts';
import { controllerFor } from '../controller/builder.ts';
import { FakeInformerFactory } from '../controller/testing/fake-informers.ts';
import { noopLogger } from '../log/logger.ts';
import { createCacheScopes } from './cache-scopes.ts';
import { createManager } from './manager.ts';
import { ManagerError, type ManagerOptions } from './types.ts';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const configMaps: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
};
const nodes: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  namespaced: false,
};

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof ManagerError && error.reason === 'InvalidOptions' && pattern.test(error.message);

const manager = (cache?: ManagerOptions['cache'], informers = new FakeInformerFactory()) =>
  createManager({ kubeConfig, logger: noopLogger, handleSignals: false, informers, ...(cache && { cache }) });

describe('manager cache scopes', () => {
  it('rejects cache options that cannot be served, naming the field', () => {
    assert.throws(() => manager({ namespaces: [] }), invalid(/^createManager: cache: .*namespaces is empty/));
    assert.throws(
      () => manager({ namespace: 'a', namespaces: ['b'] }),
      invalid(/give either namespace or namespaces/),
    );
    assert.throws(
      () => manager({ labelSelector: 'a in' }),
      invalid(/labelSelector: invalid label selector "a in"/),
    );
    assert.throws(
      () => manager({ byResource: [{ resource: nodes, namespaces: ['a'] }] }),
      invalid(/^createManager: cache\.byResource\[0\]: scope of nodes\.v1: Node is cluster-scoped/),
    );
    assert.throws(
      () =>
        manager({
          byResource: [
            { resource: configMaps, labelSelector: 'a=1' },
            { resource: configMaps, namespaces: ['x'] },
          ],
        }),
      invalid(
        /cache\.byResource\[1\]: configmaps\.v1 already has a scope in cache\.byResource; merge the two entries/,
      ),
    );
  });

  it('resolves a kind from its byResource entry, then the defaults; namespaces only for namespaced kinds', () => {
    const scopes = createCacheScopes({
      namespaces: ['a', 'b'],
      labelSelector: 'team=x',
      byResource: [{ resource: configMaps, labelSelector: 'app=web' }],
    });
    assert.deepEqual(scopes.normalizedOfKind(configMaps), {
      namespaces: ['a', 'b'],
      labelSelector: 'app=web',
      fieldSelector: '',
    });
    assert.deepEqual(scopes.normalizedOfKind(nodes), {
      namespaces: undefined,
      labelSelector: 'team=x',
      fieldSelector: '',
    });
    assert.match(scopes.widenHint(configMaps), /cache\.byResource \(the entry for configmaps\.v1\)/);
    assert.match(scopes.widenHint({ ...configMaps, plural: 'secrets' }), /ManagerOptions\.cache\.namespaces/);
  });

  it('rejects a controller whose scope cannot be served when it is added', () => {
    const m = manager();
    const blueprint = controllerFor(configMaps)
      .owns(nodes, { scope: { namespace: 'a' } })
      .complete(() => Promise.resolve({}));
    assert.throws(
      () => m.add(blueprint),
      /controller configmap: owns nodes: scope of nodes\.v1: Node is cluster-scoped/,
    );
  });

  it('rejects an index without a name, over the namespace index, or a second function under one name', () => {
    const m = manager();
    const byData = (o: KubeObject) => Object.keys((o as { data?: object }).data ?? {});
    m.indexField(configMaps, 'data.keys', byData);
    m.indexField(configMaps, 'data.keys', byData);
    assert.throws(() => m.indexField(configMaps, '', byData), invalid(/the index needs a name/));
    assert.throws(
      () => m.indexField(configMaps, 'namespace', byData),
      invalid(/"namespace" is the built-in namespace index/),
    );
    assert.throws(
      () => m.indexField(configMaps, 'data.keys', () => []),
      invalid(/configmaps\.v1 already has an index named "data\.keys" with another function/),
    );
  });

  it('removes a controller that was added, and names the ones it holds for an unknown name', async () => {
    const m = manager();
    m.add(
      controllerFor(configMaps)
        .named('one')
        .complete(() => Promise.resolve({})),
    );
    m.add(
      controllerFor(configMaps)
        .named('two')
        .complete(() => Promise.resolve({})),
    );
    await m.remove('one');
    await assert.rejects(
      m.remove('one'),
      (error: unknown) =>
        error instanceof ManagerError &&
        error.reason === 'UnknownController' &&
        error.message === 'manager.remove("one"): no such controller; the manager holds "two"',
    );
    m.add(
      controllerFor(configMaps)
        .named('one')
        .complete(() => Promise.resolve({})),
    );
  });
});
