/**
 * client-go's sample-controller, line for line, on kubeforge's low-level API: informers and
 * listers from a shared informer factory, a rate-limited work queue, `run(workers)` that
 * waits for the caches, and `processNextWorkItem` with `forget` / `addRateLimited` / `done`.
 * Compare with `builder-controller.ts`, the same controller on the high-level builder.
 *
 * @rbac groups=apps resources=deployments verbs=get;list;watch;create;update;patch;delete
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
import { deployments, type Deployment } from '@kubeforge/api/apps/v1';
import {
  createFooClient,
  fooInformer,
  type Foo,
  type FooClient,
  type FooInformer,
} from '../generated/samplecontroller.kubeforge.dev/v1alpha1/foo.ts';
import {
  ERR_RESOURCE_EXISTS,
  MESSAGE_RESOURCE_SYNCED,
  SUCCESS_SYNCED,
  messageResourceExists,
  newDeployment,
} from './foo-deployment.ts';

export class SampleController {
  readonly #deployments: ResourceClient<Deployment>;
  readonly #foos: FooClient;
  readonly #deploymentInformer: Informer<Deployment>;
  readonly #fooInformer: FooInformer;
  readonly #workqueue: RateLimitingQueue<string>;
  readonly #recorder: EventRecorder;
  readonly #logger: Logger;

  constructor(kubeConfig: KubeConfig, factory: SharedInformerFactory, logger: Logger) {
    this.#deployments = createResourceClient(kubeConfig, deployments);
    this.#foos = createFooClient(kubeConfig);
    this.#deploymentInformer = factory.informerFor(deployments);
    this.#fooInformer = fooInformer(factory);
    this.#workqueue = createRateLimitingQueue<string>({ name: 'Foos' });
    this.#recorder = createEventRecorder({
      client: createResourceClient<CoreEvent>(kubeConfig, eventResource),
      component: 'sample-controller',
      logger,
    });
    this.#logger = logger;

    logger.info('setting up event handlers');
    this.#fooInformer.informer.addEventHandler({
      add: (foo) => this.#enqueueFoo(foo),
      update: (_old, foo) => this.#enqueueFoo(foo),
    });
    // Deployments owned by a Foo enqueue that Foo: the controller learns of their status.
    this.#deploymentInformer.addEventHandler({
      add: (deployment) => this.#handleObject(deployment),
      update: (oldDeployment, newDeployment) => {
        // Periodic resyncs send updates for every cached object; skip unchanged ones.
        if (oldDeployment.metadata.resourceVersion === newDeployment.metadata.resourceVersion) return;
        this.#handleObject(newDeployment);
      },
      delete: (deployment) => this.#handleObject(deployment),
    });
  }

  /**
   * Waits for the caches, starts `workers` workers, and blocks until `signal` aborts; then
   * shuts the queue down and waits for the workers to finish their current item.
   */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    this.#logger.info('starting Foo controller');
    this.#logger.info('waiting for informer caches to sync');
    if (!(await waitForCacheSync(signal, this.#deploymentInformer, this.#fooInformer.informer))) {
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

  /**
   * Brings the Deployment of the Foo named by `key` to the desired state and copies its
   * available replicas into the Foo's status.
   */
  async #syncHandler(key: string): Promise<void> {
    const { namespace = '', name } = splitObjectKey(key);
    const foo = this.#fooInformer.lister.get(namespace, name);
    if (foo === undefined) {
      this.#logger.info('Foo referenced by item in work queue no longer exists', { key });
      return;
    }
    const deploymentName = foo.spec.deploymentName;
    if (!deploymentName) {
      this.#logger.error('deployment name missing from object reference', { key });
      return;
    }
    let deployment = this.#deploymentInformer.lister.get(namespace, deploymentName);
    deployment ??= await this.#deployments.create(newDeployment(foo));
    if (!isControlledBy(deployment, foo)) {
      const message = messageResourceExists(deploymentName);
      this.#recorder.event(foo, 'Warning', ERR_RESOURCE_EXISTS, message);
      throw new Error(message);
    }
    if (deployment.spec?.replicas !== foo.spec.replicas) {
      this.#logger.info('update Deployment resource', { replicas: foo.spec.replicas });
      const desired = newDeployment(foo);
      desired.metadata.resourceVersion = deployment.metadata.resourceVersion ?? '';
      deployment = await this.#deployments.update(desired);
    }
    await this.#updateFooStatus(foo, deployment);
    this.#recorder.event(foo, 'Normal', SUCCESS_SYNCED, MESSAGE_RESOURCE_SYNCED);
  }

  async #updateFooStatus(foo: Foo, deployment: Deployment): Promise<void> {
    // Never modify objects from the cache: copy first.
    const copy = structuredClone(foo);
    copy.status = { availableReplicas: deployment.status?.availableReplicas ?? 0 };
    await this.#foos.updateStatus(copy);
  }

  #enqueueFoo(foo: Foo): void {
    this.#workqueue.add(objectKey(foo));
  }

  /** Finds the Foo controlling an object (if any) and enqueues it. */
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
