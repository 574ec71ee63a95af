/**
 * Scoped caches, index queries and removable controllers against a real API server: reads
 * through a reconciler's client stay inside the scopes its controller declared (and never
 * start a wider watch on the server), `matchingFields` reads the manager's indexes, and
 * removing controllers from a running manager closes their watches on the server once no
 * other controller shares them.
 *
 * Watches on the server are counted with the apiserver's gauge of long-running requests
 * (`apiserver_longrunning_gauge` up to 1.22, `apiserver_longrunning_requests` since; both
 * labelled by resource, scope and verb), which both supported servers expose.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { after, before, test } from 'node:test';
import { createNamespace, installCRDs, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { createResourceClient } from '../client/create-resource-client.ts';
import { controllerFor } from '../controller/builder.ts';
import { CachedClientError } from '../controller/client.ts';
import { noopLogger } from '../log/logger.ts';
import { eventually } from '../cache/testing/eventually.ts';
import {
  clusterGadgetResource,
  configMapResource,
  gadgetResource,
  TEST_CRDS,
  type ClusterGadget,
  type ConfigMap,
  type Gadget,
} from '../testdata/gadgets.ts';
import { createManager } from './manager.ts';
import type { Manager } from './types.ts';

let cp: ControlPlane;
let a: string;
let b: string;
let outside: string;
let manager: Manager;
let running: Promise<void>;
let clusterWideConfigMapWatchesBefore: number;
const LABEL = 'cache-scopes.kubeforge.dev/test';

/** What the scoped controller's reconciler read, per gadget. */
interface Observed {
  readonly labelled: string | undefined;
  readonly unlabelled: string | undefined;
  readonly listed: readonly string[];
  readonly outside: string;
  readonly red: readonly string[];
  readonly unknownIndex: string;
}
const observed = new Map<string, Observed>();

async function serverMetrics(): Promise<string> {
  const server = cp.kubeConfig.getCurrentCluster()?.server;
  assert.ok(server);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'text/plain' } };
  await cp.kubeConfig.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(`${server.replace(/\/$/, '')}/metrics`),
      { ...options, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Open WATCH requests the API server counts for `resource`; with `beyondNamespaces`, only
 * those not confined to one namespace (request scope `cluster`, or `resource` for one name).
 */
async function serverWatches(resource: string, beyondNamespaces = false): Promise<number> {
  let total = 0;
  for (const line of (await serverMetrics()).split('\n')) {
    if (!/^apiserver_longrunning_(gauge|requests)\{/.test(line)) continue;
    if (!line.includes(`resource="${resource}"`) || !line.includes('verb="WATCH"')) continue;
    if (beyondNamespaces && line.includes('scope="namespace"')) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

before(async () => {
  cp = await startControlPlane();
  await installCRDs(cp.kubeConfig, [...TEST_CRDS]);
  a = await createNamespace(cp.kubeConfig, 'scope-a');
  b = await createNamespace(cp.kubeConfig, 'scope-b');
  outside = await createNamespace(cp.kubeConfig, 'scope-c');
  clusterWideConfigMapWatchesBefore = await serverWatches('configmaps', true);
  manager = createManager({
    kubeConfig: cp.kubeConfig,
    name: 'cache-scopes-test',
    logger: noopLogger,
    handleSignals: false,
    shutdownTimeoutMs: 2000,
    cache: { namespaces: [a, b] },
  });
  manager.indexField<Gadget>(gadgetResource, 'spec.color', (g) => g.spec.color);
  const scoped = controllerFor<Gadget>(gadgetResource)
    .named('scoped')
    .owns(configMapResource, { scope: { labelSelector: `${LABEL}=yes` } })
    .complete(async (request, context) => {
      const namespace = request.namespace ?? '';
      const cms = context.client.resource<ConfigMap>(configMapResource);
      const gadgets = context.client.resource<Gadget>(gadgetResource);
      let outsideError = '';
      try {
        await cms.get('anything', { namespace: outside });
      } catch (error) {
        outsideError =
          error instanceof CachedClientError ? `${error.reason}: ${error.message}` : String(error);
      }
      let unknownIndex = '';
      try {
        await gadgets.list({ matchingFields: { 'spec.size': '1' } });
      } catch (error) {
        unknownIndex =
          error instanceof CachedClientError ? `${error.reason}: ${error.message}` : String(error);
      }
      observed.set(`${namespace}/${request.name}`, {
        labelled: (await cms.get(`${request.name}-labelled`, { namespace }))?.metadata.name,
        unlabelled: (await cms.get(`${request.name}-unlabelled`, { namespace }))?.metadata.name,
        listed: (await cms.list()).map((cm) => `${cm.metadata.namespace}/${cm.metadata.name}`).sort(),
        outside: outsideError,
        red: (await gadgets.list({ matchingFields: { 'spec.color': 'red' } }))
          .map((g) => `${g.metadata.namespace}/${g.metadata.name}`)
          .sort(),
        unknownIndex,
      });
      return {};
    });
  manager.add(scoped);
  running = manager.start();
});

after(async () => {
  await manager.stop();
  await running;
  await cp.stop();
});

test("a reconciler's reads honour the scope its controller declared and never start an unscoped informer", async () => {
  const cms = createResourceClient<ConfigMap>(cp.kubeConfig, configMapResource);
  for (const ns of [a, b, outside]) {
    await cms.create({ metadata: { name: 'g-labelled', namespace: ns, labels: { [LABEL]: 'yes' } } });
    await cms.create({ metadata: { name: 'g-unlabelled', namespace: ns } });
  }
  const gadgets = createResourceClient<Gadget>(cp.kubeConfig, gadgetResource);
  await gadgets.create({ metadata: { name: 'g', namespace: a }, spec: { size: 1, color: 'red' } });
  await gadgets.create({ metadata: { name: 'g', namespace: b }, spec: { size: 1, color: 'blue' } });
  await gadgets.create({ metadata: { name: 'g', namespace: outside }, spec: { size: 1, color: 'red' } });

  const seen = await eventually(
    () => observed.has(`${a}/g`) && observed.has(`${b}/g`),
    'both gadgets reconciled',
  ).then(() => observed.get(`${a}/g`));
  assert.ok(seen);
  assert.equal(seen.labelled, 'g-labelled', 'an object inside the label scope is read from the cache');
  assert.equal(seen.unlabelled, undefined, 'an object outside the label scope is not cached, so not found');
  assert.deepEqual(
    seen.listed,
    [`${a}/g-labelled`, `${b}/g-labelled`],
    'a list merges the namespaces of the scope',
  );
  assert.match(seen.outside, new RegExp(`^OutsideScope: .*namespace "${outside}" is outside the cache`));
  assert.match(seen.outside, new RegExp(`namespaces "${[a, b].sort().join('", "')}", labels ${LABEL}=yes`));
  assert.equal(observed.has(`${outside}/g`), false, 'the gadget outside the namespaces is not reconciled');

  const configMapInformers = manager.informers
    .informers()
    .filter((e) => e.resource.plural === 'configmaps')
    .map((e) => e.scope);
  assert.deepEqual(
    configMapInformers.sort((x, y) => (x.namespace ?? '').localeCompare(y.namespace ?? '')),
    [a, b].sort().map((namespace) => ({ namespace, labelSelector: `${LABEL}=yes` })),
    'one informer per namespace of the scope, all with its label selector, none unscoped',
  );
  assert.equal(
    await serverWatches('configmaps', true),
    clusterWideConfigMapWatchesBefore,
    'the API server saw no new cluster-wide watch of configmaps',
  );
});

test("matchingFields reads the manager's index through the reconciler's client, and an undeclared index is an error", async () => {
  await eventually(() => observed.has(`${a}/g`), 'the gadget reconciled');
  const seen = observed.get(`${a}/g`);
  assert.ok(seen);
  assert.deepEqual(seen.red, [`${a}/g`], 'only red gadgets inside the scope');
  assert.match(seen.unknownIndex, /^UnknownIndex: .*"spec\.size", which the cache of gadgets does not have/);
  assert.match(seen.unknownIndex, /manager\.indexField\(/);
});

test('controllers added to a running manager share informers; removing them stops the watch on the server', async () => {
  const region = `r-${a}`;
  const clusterGadgets = createResourceClient<ClusterGadget>(cp.kubeConfig, clusterGadgetResource);
  await clusterGadgets.create({ metadata: { name: `${a}-one` }, spec: { region } });
  assert.equal(await serverWatches('clustergadgets'), 0, 'nothing watches clustergadgets yet');

  const reconciled = { first: new Set<string>(), second: new Set<string>() };
  const controller = (name: 'first' | 'second') =>
    controllerFor<ClusterGadget>(clusterGadgetResource)
      .named(name)
      .complete((request, context) => {
        reconciled[name].add(request.name);
        // A read of a kind the controller does not watch: its client holds that informer too.
        return context.client
          .resource<ConfigMap>(configMapResource)
          .list({ namespace: a })
          .then(() => ({}));
      });
  manager.add(controller('first'));
  manager.add(controller('second'));
  await eventually(
    () => reconciled.first.has(`${a}-one`) && reconciled.second.has(`${a}-one`),
    'both added controllers reconcile',
  );
  assert.equal(await serverWatches('clustergadgets'), 1, 'both controllers share one watch');

  await manager.remove('first');
  await clusterGadgets.create({ metadata: { name: `${a}-two` }, spec: { region } });
  await eventually(() => reconciled.second.has(`${a}-two`), 'the remaining controller keeps reconciling');
  assert.equal(reconciled.first.has(`${a}-two`), false, 'the removed controller reconciles no more');
  assert.equal(await serverWatches('clustergadgets'), 1, 'the shared watch stays while a controller uses it');

  await manager.remove('second');
  await eventually(
    async () => (await serverWatches('clustergadgets')) === 0,
    'the watch closed on the server',
  );
  assert.deepEqual(
    manager.informers.informers().filter((e) => e.resource.plural === 'clustergadgets'),
    [],
    'the factory holds no clustergadgets informer (its cache can be collected)',
  );
  assert.equal(
    manager.informers
      .informers()
      .filter(
        (e) =>
          e.resource.plural === 'configmaps' &&
          e.scope.namespace === a &&
          e.scope.labelSelector === undefined,
      ).length,
    0,
    'the unscoped configmaps informer only the removed controllers read was released too',
  );
  await assert.rejects(manager.remove('first'), /no such controller; the manager holds "scoped"/);
});
