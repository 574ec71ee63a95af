/**
 * The same controller as `low-level-controller.ts` on the high-level API: the builder wires
 * the informers, the owner lookup and the work queue; the reconciler is the sync handler;
 * the manager adds leader election, health and metrics endpoints and signal handling.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  controllerFor,
  createManager,
  isControlledBy,
  type ControllerBlueprint,
  type Logger,
  type Manager,
  type ManagerOptions,
  type Result,
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

export const fooController: ControllerBlueprint = controllerFor<Foo>(fooResource)
  .named('sample-controller')
  .owns(configMapResource)
  .maxConcurrentReconciles(2)
  .complete(async ({ namespace = '', name }, { client, recorder, logger }): Promise<Result> => {
    const foos = client.resource<Foo>(fooResource);
    const configMaps = client.resource<ConfigMap>(configMapResource);
    const foo = await foos.get(name, { namespace });
    if (foo === undefined) return {}; // deleted; its ConfigMap goes with it (garbage collector)
    let configMap = await configMaps.get(foo.spec.configMapName, { namespace });
    configMap ??= await configMaps.create(newConfigMap(foo));
    if (!isControlledBy(configMap, foo)) {
      const message = messageResourceExists(foo.spec.configMapName);
      recorder.event(foo, 'Warning', ERR_RESOURCE_EXISTS, message);
      throw new Error(message); // retried with backoff, as in the low-level version
    }
    if (replicasOf(configMap) !== foo.spec.replicas) {
      logger.info('update ConfigMap resource', { replicas: foo.spec.replicas });
      const desired = newConfigMap(foo);
      configMap = await configMaps.update({
        ...desired,
        metadata: { ...desired.metadata, resourceVersion: configMap.metadata.resourceVersion ?? '' },
      });
    }
    await foos.updateStatus({ ...structuredClone(foo), status: { replicas: replicasOf(configMap) } });
    recorder.event(foo, 'Normal', SUCCESS_SYNCED, MESSAGE_RESOURCE_SYNCED);
    return {};
  });

/** `main()` of the builder version. */
export function createSampleManager(
  kubeConfig: KubeConfig,
  logger: Logger,
  options: Partial<ManagerOptions> = {},
): Manager {
  const manager = createManager({ kubeConfig, name: 'sample-controller', logger, ...options });
  manager.add(fooController);
  return manager;
}
