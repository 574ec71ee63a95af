/**
 * client-go's sample-controller, line for line, on kubeforge's low-level API: informers and
 * listers from a shared informer factory, a rate-limited work queue, `run(workers)` that
 * waits for the caches, and `processNextWorkItem` with `forget` / `addRateLimited` / `done`.
 * Compare with `builder-controller.ts`, the same controller on the high-level builder.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  createEventRecorder,
  createRateLimitingQueue,
  createResourceClient,
  createSharedInformerFactory,
  eventResource,
  getControllerOf,
  isControlledBy,
  objectKey,
  queueShutDown,
  splitObjectKey,
  waitForCacheSync,
  type CoreEvent,
  type EventRecorder,
  type Informer,
  type KubeObject,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedInformerFactory,
} from '@kubeforge/runtime';
import {
  ERR_RESOURCE_EXISTS,
  MESSAGE_RESOURCE_SYNCED,
  SUCCESS_SYNCED,
  configMapResource,
  fooResource,
  messageResourceExists,
  newConfigMap,
  replicasOf,
  type ConfigMap,
  type Foo,
} from './foo.ts';

export class SampleController {
  readonly #configMaps: ResourceClient<ConfigMap>;
  readonly #foos: ResourceClient<Foo>;
  readonly #configMapInformer: Informer<ConfigMap>;
  readonly #fooInformer: Informer<Foo>;
  readonly #workqueue: RateLimitingQueue<string>;
  readonly #recorder: EventRecorder;
  readonly #logger: Logger;

  constructor(kubeConfig: KubeConfig, factory: SharedInformerFactory, logger: Logger) {
    this.#configMaps = createResourceClient<ConfigMap>(kubeConfig, configMapResource);
    this.#foos = createResourceClient<Foo>(kubeConfig, fooResource);
    this.#configMapInformer = factory.informerFor<ConfigMap>(configMapResource);
    this.#fooInformer = factory.informerFor<Foo>(fooResource);
    this.#workqueue = createRateLimitingQueue<string>({ name: 'Foos' });
    this.#recorder = createEventRecorder({
      client: createResourceClient<CoreEvent>(kubeConfig, eventResource),
      component: 'sample-controller',
      logger,
    });
    this.#logger = logger;

    logger.info('setting up event handlers');
    this.#fooInformer.addEventHandler({
      add: (foo) => this.#enqueueFoo(foo),
      update: (_old, foo) => this.#enqueueFoo(foo),
    });
    this.#configMapInformer.addEventHandler({
      add: (cm) => this.#handleObject(cm),
      update: (oldCm, newCm) => {
        // Periodic resyncs send updates for every cached object; skip unchanged ones.
        if (oldCm.metadata.resourceVersion === newCm.metadata.resourceVersion) return;
        this.#handleObject(newCm);
      },
      delete: (cm) => this.#handleObject(cm),
    });
  }

  /**
   * Waits for the caches, starts `workers` workers, and blocks until `signal` aborts; then
   * shuts the queue down and waits for the workers to finish their current item.
   */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    this.#logger.info('starting Foo controller');
    this.#logger.info('waiting for informer caches to sync');
    if (!(await waitForCacheSync(signal, this.#configMapInformer, this.#fooInformer))) {
      this.#workqueue.shutDown();
      throw new Error('failed to wait for caches to sync');
    }
    this.#logger.info('starting workers', { count: workers });
    const loops = Array.from({ length: workers }, () => this.#runWorker());
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.#logger.info('shutting down workers');
    await this.#workqueue.shutDownWithDrain();
    await Promise.all(loops);
    await this.#recorder.flush();
  }

  async #runWorker(): Promise<void> {
    while (await this.#processNextWorkItem()) {
      // keep going until the queue shuts down
    }
  }

  /** Takes one key off the queue and syncs it; `false` once the queue shuts down. */
  async #processNextWorkItem(): Promise<boolean> {
    const key = await this.#workqueue.get();
    if (key === queueShutDown) return false;
    try {
      await this.#syncHandler(key);
      // No error: forget the key's failure history so its next failure starts a fresh backoff.
      this.#workqueue.forget(key);
      this.#logger.info('successfully synced', { key });
    } catch (err) {
      // Retry later with backoff (HandleCrash / HandleError: log, never crash).
      this.#workqueue.addRateLimited(key);
      this.#logger.error('error syncing; requeuing', { key, error: err });
    } finally {
      this.#workqueue.done(key);
    }
    return true;
  }

  /** Brings the ConfigMap of the Foo named by `key` to the desired state and updates its status. */
  async #syncHandler(key: string): Promise<void> {
    const { namespace = '', name } = splitObjectKey(key);
    const foo = this.#fooInformer.lister.get(namespace, name);
    if (foo === undefined) {
      this.#logger.info('Foo referenced by item in work queue no longer exists', { key });
      return;
    }
    const configMapName = foo.spec.configMapName;
    if (!configMapName) {
      this.#logger.error('ConfigMap name missing from object reference', { key });
      return;
    }
    let configMap = this.#configMapInformer.lister.get(namespace, configMapName);
    configMap ??= await this.#configMaps.create(newConfigMap(foo));
    if (!isControlledBy(configMap, foo)) {
      const message = messageResourceExists(configMapName);
      this.#recorder.event(foo, 'Warning', ERR_RESOURCE_EXISTS, message);
      throw new Error(message);
    }
    if (replicasOf(configMap) !== foo.spec.replicas) {
      this.#logger.info('update ConfigMap resource', { replicas: foo.spec.replicas });
      const desired = newConfigMap(foo);
      desired.metadata.resourceVersion = configMap.metadata.resourceVersion ?? '';
      configMap = await this.#configMaps.update(desired);
    }
    await this.#updateFooStatus(foo, configMap);
    this.#recorder.event(foo, 'Normal', SUCCESS_SYNCED, MESSAGE_RESOURCE_SYNCED);
  }

  async #updateFooStatus(foo: Foo, configMap: ConfigMap): Promise<void> {
    // Never modify objects from the cache: copy first.
    const copy = structuredClone(foo);
    copy.status = { replicas: replicasOf(configMap) };
    await this.#foos.updateStatus(copy);
  }

  #enqueueFoo(foo: Foo): void {
    this.#workqueue.add(objectKey(foo));
  }

  /** Finds the Foo controlling a ConfigMap (if any) and enqueues it. */
  #handleObject(object: KubeObject): void {
    const ownerRef = getControllerOf(object);
    if (ownerRef?.kind !== 'Foo') return;
    const foo = this.#fooInformer.lister.get(object.metadata.namespace ?? '', ownerRef.name);
    if (foo === undefined) {
      this.#logger.debug('ignore orphaned object', { object: objectKey(object), foo: ownerRef.name });
      return;
    }
    this.#enqueueFoo(foo);
  }
}

/** `main()` of the low-level version: factory, controller, start, run until the signal aborts. */
export async function runLowLevel(
  kubeConfig: KubeConfig,
  logger: Logger,
  signal: AbortSignal,
  workers = 2,
): Promise<void> {
  const factory = createSharedInformerFactory({ kubeConfig, logger });
  const controller = new SampleController(kubeConfig, factory, logger);
  factory.start();
  try {
    await controller.run(workers, signal);
  } finally {
    await factory.stop();
  }
}
