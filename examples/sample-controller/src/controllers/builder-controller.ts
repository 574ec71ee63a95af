/**
 * The same controller as `low-level-controller.ts` on the high-level API: the builder wires
 * the informers, the owner lookup and the work queue; the reconciler is the sync handler;
 * the manager adds leader election, health and metrics endpoints and signal handling.
 *
 * @rbac groups=apps resources=deployments verbs=get;list;watch;create;update;patch;delete
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
import { deployments } from '@kubeforge/api/apps/v1';
import { fooResource } from '../generated/samplecontroller.kubeforge.dev/v1alpha1/foo.ts';
import {
  ERR_RESOURCE_EXISTS,
  MESSAGE_RESOURCE_SYNCED,
  SUCCESS_SYNCED,
  messageResourceExists,
  newDeployment,
} from './foo-deployment.ts';

export const fooController: ControllerBlueprint = controllerFor(fooResource)
  .named('sample-controller')
  .owns(deployments)
  .maxConcurrentReconciles(2)
  .complete(async ({ namespace = '', name }, { client, recorder, logger }): Promise<Result> => {
    const foos = client.resource(fooResource);
    const deploymentObjects = client.resource(deployments);
    const foo = await foos.get(name, { namespace });
    if (foo === undefined) return {}; // deleted; its Deployment goes with it (garbage collector)
    const { deploymentName, replicas } = foo.spec;
    let deployment = await deploymentObjects.get(deploymentName, { namespace });
    deployment ??= await deploymentObjects.create(newDeployment(foo));
    if (!isControlledBy(deployment, foo)) {
      const message = messageResourceExists(deploymentName);
      recorder.event(foo, 'Warning', ERR_RESOURCE_EXISTS, message);
      throw new Error(message); // retried with backoff, as in the low-level version
    }
    if (deployment.spec?.replicas !== replicas) {
      logger.info('update Deployment resource', { replicas });
      const desired = newDeployment(foo);
      deployment = await deploymentObjects.update({
        ...desired,
        metadata: { ...desired.metadata, resourceVersion: deployment.metadata.resourceVersion ?? '' },
      });
    }
    const availableReplicas = deployment.status?.availableReplicas ?? 0;
    if (foo.status?.availableReplicas !== availableReplicas) {
      await foos.updateStatus({ ...structuredClone(foo), status: { availableReplicas } });
    }
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
