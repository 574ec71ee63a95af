/**
 * A worker process holding one informer, for the cache-fill and watch scenarios.
 *
 * - `fill`: measures the time from start to synced (every object of the namespace in the
 *   cache) and the memory the cache holds: heap used after a full GC, and RSS, each minus
 *   the same figures taken after loading both libraries and before starting the informer.
 * - `watch`: syncs, answers `ready`, then records for every update the delay between the
 *   writer's timestamp (`spec.sentAt`) and the handler call, until the parent says how many
 *   updates it wrote and they all arrived (or 10 s passed without a new one).
 */
import {
  createInformer,
  createMetadataClient,
  createResourceClient,
  noopLogger,
  sharedTransport,
  type Informer,
  type KubeObject,
  type ListerWatcher,
} from '@kubeforge/runtime';
import {
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type Informer as ClientNodeInformer,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { bareWatch, createBareUndiciClient } from '../lib/bare-client.ts';
import {
  benchItemResource,
  collectionPath,
  secretResource,
  secretsPath,
  type BenchItem,
} from '../lib/bench-resource.ts';
import { waitForQuietMachine } from '../lib/machine.ts';
import { percentile } from '../lib/stats.ts';
import { nextFromParent, sendToParent, workerInput } from '../lib/worker-process.ts';

/** `bare-watch`: a list then one raw streaming watch (watch scenario only): the floor. */
/**
 * `kubeforge-secrets` and `kubeforge-secrets-metadata`: a full and a metadata-only informer
 * over the namespace's Secrets (cache-fill's metadata-only rows).
 */
export type InformerContender =
  | 'kubeforge'
  | 'kubeforge-keep-managed-fields'
  | 'kubeforge-watch-list'
  | 'client-node'
  | 'bare-watch'
  | 'kubeforge-secrets'
  | 'kubeforge-secrets-metadata';

export interface InformerWorkerInput {
  readonly mode: 'fill' | 'watch';
  readonly contender: InformerContender;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  /** Objects in the namespace when the informer starts. */
  readonly expected: number;
}

export interface FillResult {
  readonly type: 'filled';
  readonly syncMs: number;
  readonly cached: number;
  readonly heapGrowth: number;
  readonly rssGrowth: number;
  readonly heapAfter: number;
  readonly rssAfter: number;
  /** Growth of V8's committed heap (all spaces), and of new space's physical size alone. */
  readonly heapCommittedGrowth: number;
  readonly newSpaceGrowth: number;
  /** Growth of memory outside the V8 heap that V8 knows of (Buffers, ArrayBuffers). */
  readonly externalGrowth: number;
  /**
   * RSS growth split as Linux counts it (`/proc/self/status`): anonymous pages (heaps, malloc)
   * and file-backed pages (the node binary's code paged in on first use); 0 off Linux.
   */
  readonly rssAnonGrowth: number;
  readonly rssFileGrowth: number;
}

export interface WatchReady {
  readonly type: 'ready';
}

/** Parent to worker: the writer is done and wrote `count` updates. */
export interface WatchExpect {
  readonly type: 'expect';
  readonly count: number;
}

export interface WatchResult {
  readonly type: 'watched';
  readonly received: number;
  /** Write-to-handler delay percentiles over every update received, in ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Wall-clock time (ms since the epoch) of the last update handled. */
  readonly lastEventAt: number;
}

export type InformerWorkerMessage = FillResult | WatchReady | WatchResult;

const now = (): number => performance.timeOrigin + performance.now();

/** Bytes of list responses read (and discarded) to bring undici's HTTP parser to its optimized tier. */
const PARSER_WARM_UP_BYTES = 8 * 1024 * 1024;

/**
 * Reads list responses of `namespace` through kubeforge's transport, bodies discarded, until
 * {@link PARSER_WARM_UP_BYTES} have passed. undici parses HTTP/1.1 with llhttp compiled to
 * WebAssembly; after a few MB V8 recompiles it with its optimizing tier on a background
 * thread, whose compiler memory (about 14 MiB) glibc then keeps in that thread's arena. That
 * happens once per process, whatever the cache holds; without this it lands inside a
 * measurement about every other run (5,000 objects is about 2.4 MB), so RSS growth would
 * measure whether the compile happened rather than the cache. client-node parses HTTP with
 * Node's built-in native llhttp and has nothing to warm. Pages of 1,000 from etcd keep each
 * response small whatever the collection (`path`) holds.
 */
async function warmHttpParser(kubeConfig: KubeConfig, path: string): Promise<void> {
  const transport = sharedTransport(kubeConfig);
  let read = 0;
  // A few passes over the collection at most: a small one never reaches the budget.
  for (let pass = 0; pass < 4 && read < PARSER_WARM_UP_BYTES; pass++) {
    let token = '';
    do {
      const query = `limit=1000${token === '' ? '' : `&continue=${encodeURIComponent(token)}`}`;
      const response = await transport.open({ method: 'GET', path: `${path}?${query}` });
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        read += chunk.length;
        // The continue token is near the end: keep only the last chunks.
        chunks.push(chunk);
        if (chunks.length > 2) chunks.shift();
      }
      token = /"continue":"([^"]*)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
    } while (token !== '' && read < PARSER_WARM_UP_BYTES);
  }
}

/** What the worker needs from either library's informer. */
interface Cache {
  /**
   * One small list through the library's own HTTP stack, so code it loads on first use (an
   * HTTP parser, TLS) is in memory before the baseline: what is measured is the cache.
   */
  warmUp(): Promise<void>;
  start(): Promise<void>;
  size(): number;
  onUpdate(handler: (item: BenchItem) => void): void;
  stop(): Promise<void>;
}

function kubeforgeCache(
  kubeConfig: KubeConfig,
  namespace: string,
  options: { readonly keepManagedFields: boolean; readonly watchList: boolean },
): Cache {
  const client = createResourceClient<BenchItem>(kubeConfig, benchItemResource);
  const informer: Informer<BenchItem> = createInformer(client, {
    namespace,
    logger: noopLogger,
    keepManagedFields: options.keepManagedFields,
    watcher: { watchList: options.watchList },
  });
  return {
    async warmUp() {
      await client.inNamespace(namespace).list({ limit: 1 });
      await warmHttpParser(kubeConfig, collectionPath(namespace));
    },
    async start() {
      informer.start();
      if (!(await informer.waitForCacheSync())) throw new Error('kubeforge informer stopped before syncing');
    },
    size: () => informer.indexer.size,
    onUpdate(handler) {
      informer.addEventHandler({ update: (_old, item) => handler(item) });
    },
    stop: () => informer.stop(),
  };
}

/** A kubeforge informer over the namespace's Secrets, whole or by metadata only. */
function secretsCache(kubeConfig: KubeConfig, namespace: string, metadataOnly: boolean): Cache {
  const client: ListerWatcher<KubeObject> & { inNamespace(ns: string): ListerWatcher<KubeObject> } =
    metadataOnly
      ? createMetadataClient(kubeConfig, secretResource)
      : createResourceClient(kubeConfig, secretResource);
  const informer = createInformer(client, { namespace, logger: noopLogger });
  return {
    async warmUp() {
      await client.inNamespace(namespace).list({ limit: 1 });
      await warmHttpParser(kubeConfig, secretsPath(namespace));
    },
    async start() {
      informer.start();
      if (!(await informer.waitForCacheSync())) throw new Error('kubeforge informer stopped before syncing');
    },
    size: () => informer.indexer.size,
    onUpdate() {
      throw new Error('the Secrets informers only fill');
    },
    stop: () => informer.stop(),
  };
}

function clientNodeCache(kubeConfig: KubeConfig, namespace: string): Cache {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const informer: ClientNodeInformer<KubernetesObject> & ObjectCache<KubernetesObject> = makeInformer(
    kubeConfig,
    collectionPath(namespace),
    () =>
      api.listNamespacedCustomObject({
        group: benchItemResource.group,
        version: benchItemResource.version,
        plural: benchItemResource.plural,
        namespace,
      }) as Promise<KubernetesListObject<KubernetesObject>>,
  );
  let stopped = false;
  informer.on('error', (error) => {
    if (!stopped) process.stderr.write(`client-node informer error: ${String(error)}\n`);
  });
  return {
    async warmUp() {
      await api.listNamespacedCustomObject({
        group: benchItemResource.group,
        version: benchItemResource.version,
        plural: benchItemResource.plural,
        namespace,
        limit: 1,
      });
    },
    start: () => informer.start(),
    size: () => informer.list().length,
    onUpdate(handler) {
      // client-node types objects as its own KubernetesObject; the JSON is a BenchItem.
      informer.on('update', (item) => handler(item as unknown as BenchItem));
    },
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

/** The floor: list once, then one raw watch stream; no store, no reconnects. */
function bareWatchCache(kubeConfig: KubeConfig, namespace: string): Cache {
  const path = collectionPath(namespace);
  const abort = new AbortController();
  const handlers: ((item: BenchItem) => void)[] = [];
  let size = 0;
  let watching: Promise<void> = Promise.resolve();
  return {
    warmUp: () => Promise.resolve(),
    async start() {
      const client = await createBareUndiciClient(kubeConfig);
      const list = (await client.send('GET', path)) as KubernetesListObject<KubernetesObject>;
      await client.close();
      size = list.items.length;
      const resourceVersion = list.metadata?.resourceVersion ?? '';
      watching = bareWatch(
        kubeConfig,
        `${path}?watch=1&resourceVersion=${resourceVersion}`,
        (event) => {
          if (event.type !== 'MODIFIED') return;
          for (const handler of handlers) handler(event.object as BenchItem);
        },
        abort.signal,
      );
      watching.catch((error: unknown) => {
        process.stderr.write(`bare watch failed: ${String(error)}\n`);
      });
    },
    size: () => size,
    onUpdate(handler) {
      handlers.push(handler);
    },
    async stop() {
      abort.abort();
      await watching.catch(() => undefined);
    },
  };
}

/**
 * Heap used and RSS after full GCs, taken from a macrotask of its own: the continuation after
 * an await can run inside the I/O callback that resolved it, whose native frames still hold
 * that callback's objects (e.g. the response stream and its buffered body), so a GC there
 * would count transient memory as held by the cache.
 */
async function settle(): Promise<{
  heap: number;
  rss: number;
  heapCommitted: number;
  newSpace: number;
  external: number;
  rssAnon: number;
  rssFile: number;
}> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the informer worker needs --expose-gc');
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
  const usage = process.memoryUsage();
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return {
    heap: usage.heapUsed,
    rss: usage.rss,
    heapCommitted: usage.heapTotal,
    newSpace: newSpace?.physical_space_size ?? 0,
    external: usage.external,
    ...rssParts(),
  };
}

/** RssAnon and RssFile of `/proc/self/status`, in bytes (0 where there is no such file). */
function rssParts(): { rssAnon: number; rssFile: number } {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return { rssAnon: 0, rssFile: 0 };
  }
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rssAnon: kib('RssAnon'), rssFile: kib('RssFile') };
}

function createCache(contender: InformerContender, kubeConfig: KubeConfig, namespace: string): Cache {
  switch (contender) {
    case 'kubeforge':
      return kubeforgeCache(kubeConfig, namespace, { keepManagedFields: false, watchList: false });
    case 'kubeforge-keep-managed-fields':
      return kubeforgeCache(kubeConfig, namespace, { keepManagedFields: true, watchList: false });
    case 'kubeforge-watch-list':
      return kubeforgeCache(kubeConfig, namespace, { keepManagedFields: false, watchList: true });
    case 'client-node':
      return clientNodeCache(kubeConfig, namespace);
    case 'bare-watch':
      return bareWatchCache(kubeConfig, namespace);
    case 'kubeforge-secrets':
      return secretsCache(kubeConfig, namespace, false);
    case 'kubeforge-secrets-metadata':
      return secretsCache(kubeConfig, namespace, true);
  }
}

async function main(): Promise<void> {
  const input = workerInput() as InformerWorkerInput;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(input.kubeconfigPath);
  const cache = createCache(input.contender, kubeConfig, input.namespace);

  if (input.mode === 'fill') {
    await cache.warmUp();
    // What the warm-up set off in the API server (its garbage collection) is not this run's.
    await waitForQuietMachine();
    const before = await settle();
    const started = performance.now();
    await cache.start();
    const syncMs = performance.now() - started;
    const cached = cache.size();
    const after = await settle();
    await cache.stop();
    await sendToParent({
      type: 'filled',
      syncMs,
      cached,
      heapGrowth: after.heap - before.heap,
      rssGrowth: after.rss - before.rss,
      heapAfter: after.heap,
      rssAfter: after.rss,
      heapCommittedGrowth: after.heapCommitted - before.heapCommitted,
      newSpaceGrowth: after.newSpace - before.newSpace,
      externalGrowth: after.external - before.external,
      rssAnonGrowth: after.rssAnon - before.rssAnon,
      rssFileGrowth: after.rssFile - before.rssFile,
    } satisfies FillResult);
    return;
  }

  const latencies = new Float64Array(1_000_000);
  let received = 0;
  let lastEventAt = 0;
  let expected = Number.POSITIVE_INFINITY;
  let onProgress: (() => void) | undefined;
  cache.onUpdate((item) => {
    const at = now();
    if (item.spec.sentAt !== undefined && received < latencies.length)
      latencies[received] = at - item.spec.sentAt;
    received++;
    lastEventAt = at;
    if (received >= expected) onProgress?.();
  });
  await cache.start();
  await sendToParent({ type: 'ready' } satisfies WatchReady);
  const expect = await nextFromParent<WatchExpect>();
  expected = expect.count;
  if (received < expected) {
    await new Promise<void>((resolve) => {
      let lastSeen = received;
      const idle = setInterval(() => {
        if (received === lastSeen) {
          clearInterval(idle);
          resolve();
        }
        lastSeen = received;
      }, 10_000);
      onProgress = () => {
        clearInterval(idle);
        resolve();
      };
    });
  }
  await cache.stop();
  const recorded = Array.from(latencies.subarray(0, Math.min(received, latencies.length)));
  await sendToParent({
    type: 'watched',
    received,
    p50Ms: percentile(recorded, 50),
    p99Ms: percentile(recorded, 99),
    maxMs: recorded.reduce((max, v) => Math.max(max, v), 0),
    lastEventAt,
  } satisfies WatchResult);
}

await main();
process.exit(0);
