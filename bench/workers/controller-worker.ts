/**
 * A worker process running one controller for the end-to-end scenario: for every BenchItem
 * whose `status.observedValue` differs from `spec.value`, write the status (a merge patch to
 * the status subresource). In `live` mode it answers `ready` once its cache synced (the
 * objects are created afterwards); in `backlog` mode the objects already exist and it answers
 * nothing until the end. Then `done` with the wall time at which the status of `expected`
 * distinct objects had been written, and the time the controller was started.
 *
 * - `kubeforge`: a manager with one controller built by `controllerFor`, reads from the
 *   manager's cached client, 16 concurrent reconciles.
 * - `client-node`: the same controller by hand, as a client-node user writes it: `makeInformer`,
 *   a deduplicating queue of `namespace/name` keys, 16 async workers, CustomObjectsApi.
 */
import { controllerFor, createManager, noopLogger, type Result } from '@kubeforge/runtime';
import {
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { benchItemResource, collectionPath, type BenchItem } from '../lib/bench-resource.ts';
import { sendToParent, workerInput } from '../lib/worker-process.ts';

export type ControllerContender = 'kubeforge' | 'client-node';

export interface ControllerWorkerInput {
  readonly contender: ControllerContender;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly expected: number;
  readonly mode: 'live' | 'backlog';
}

export type ControllerWorkerMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly at: number;
      /** When the controller (its cache first) was started. */
      readonly startedAt: number;
      readonly reconciles: number;
      readonly statusWrites: number;
    };

/** Parent to worker. */
export interface ControllerWorkerCommand {
  readonly type: 'stop';
}

const WORKERS = 16;
const now = (): number => performance.timeOrigin + performance.now();

/** Counts distinct objects whose status was written; reports once all `expected` were. */
function createTally(
  expected: number,
  startedAt: number,
): {
  record(name: string): void;
  reconciled(): void;
  stats(): { reconciles: number; statusWrites: number };
} {
  const written = new Set<string>();
  let reconciles = 0;
  let statusWrites = 0;
  return {
    record(name) {
      statusWrites++;
      written.add(name);
      if (written.size === expected) {
        void sendToParent({
          type: 'done',
          at: now(),
          startedAt,
          reconciles,
          statusWrites,
        } satisfies ControllerWorkerMessage);
      }
    },
    reconciled() {
      reconciles++;
    },
    stats: () => ({ reconciles, statusWrites }),
  };
}

async function runKubeforge(kubeConfig: KubeConfig, input: ControllerWorkerInput): Promise<void> {
  const tally = createTally(input.expected, now());
  const manager = createManager({
    kubeConfig,
    name: 'bench-controller',
    logger: noopLogger,
    handleSignals: false,
    cache: { namespace: input.namespace },
  });
  const items = manager.client.resource<BenchItem>(benchItemResource);
  manager.add(
    controllerFor<BenchItem>(benchItemResource)
      .maxConcurrentReconciles(WORKERS)
      .complete(async (request, context): Promise<Result> => {
        tally.reconciled();
        const item = await items.get(request.name, {
          namespace: request.namespace ?? '',
          signal: context.signal,
        });
        if (item === undefined || item.status?.observedValue === item.spec.value) return {};
        await items.patch(
          request.name,
          { type: 'merge', patch: { status: { observedValue: item.spec.value } } },
          { namespace: request.namespace ?? '', subresource: 'status', signal: context.signal },
        );
        tally.record(request.name);
        return {};
      }),
  );
  const running = manager.start();
  running.catch((error: unknown) => {
    process.stderr.write(`kubeforge manager failed: ${String(error)}\n`);
    process.exit(1);
  });
  if (input.mode === 'backlog') return;
  while (!manager.isReady()) await new Promise((resolve) => setTimeout(resolve, 5));
  await sendToParent({ type: 'ready' } satisfies ControllerWorkerMessage);
}

async function runClientNode(kubeConfig: KubeConfig, input: ControllerWorkerInput): Promise<void> {
  const tally = createTally(input.expected, now());
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const { group, version, plural } = benchItemResource;
  const namespace = input.namespace;
  const informer = makeInformer<KubernetesObject>(
    kubeConfig,
    collectionPath(namespace),
    () =>
      api.listNamespacedCustomObject({ group, version, plural, namespace }) as Promise<
        KubernetesListObject<KubernetesObject>
      >,
  );
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  // A deduplicating queue: a key waits at most once; a key being processed is re-queued
  // after it finishes if it changed meanwhile.
  const queue: string[] = [];
  const queued = new Set<string>();
  const processing = new Set<string>();
  const dirtyWhileProcessing = new Set<string>();
  const wake: (() => void)[] = [];
  const enqueue = (object: KubernetesObject): void => {
    const name = object.metadata?.name ?? '';
    if (processing.has(name)) {
      dirtyWhileProcessing.add(name);
      return;
    }
    if (queued.has(name)) return;
    queued.add(name);
    queue.push(name);
    const waiter = wake.shift();
    waiter?.();
  };
  const reconcile = async (name: string): Promise<void> => {
    tally.reconciled();
    const item = informer.get(name, namespace) as BenchItem | undefined;
    if (item === undefined || item.status?.observedValue === item.spec.value) return;
    await api.patchNamespacedCustomObjectStatus(
      { group, version, plural, namespace, name, body: { status: { observedValue: item.spec.value } } },
      mergePatch,
    );
    tally.record(name);
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const name = queue.shift();
      if (name === undefined) {
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      queued.delete(name);
      processing.add(name);
      try {
        await reconcile(name);
      } catch (error) {
        process.stderr.write(`client-node reconcile of ${name} failed: ${String(error)}\n`);
        dirtyWhileProcessing.add(name);
      } finally {
        processing.delete(name);
        if (dirtyWhileProcessing.delete(name)) enqueue({ metadata: { name } });
      }
    }
  };
  informer.on('add', enqueue);
  informer.on('update', enqueue);
  informer.on('error', (error) => {
    process.stderr.write(`client-node informer error: ${String(error)}\n`);
  });
  for (let i = 0; i < WORKERS; i++) void worker();
  await informer.start();
  if (input.mode === 'live') await sendToParent({ type: 'ready' } satisfies ControllerWorkerMessage);
}

const input = workerInput() as ControllerWorkerInput;
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(input.kubeconfigPath);
if (input.contender === 'kubeforge') await runKubeforge(kubeConfig, input);
else await runClientNode(kubeConfig, input);
// The parent's only command is `stop`, after `done`: a normal exit, so --cpu-prof writes its profile.
process.on('message', (_message: ControllerWorkerCommand) => {
  process.exit(0);
});
