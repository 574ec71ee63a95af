/**
 * Compiled by `type-expectations.test.ts`, never run: built-in kinds go everywhere a kind goes,
 * with their types inferred from the descriptor. Every `@ts-expect-error` marks a misuse that
 * must not compile; the test fails if one of them compiles (TS2578) or anything else errors.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  controllerFor,
  createOrUpdate,
  createResourceClient,
  createSharedInformerFactory,
  generationChanged,
  setControllerReference,
  type ControllerBuilder,
  type Informer,
  type KubeObject,
  type Lister,
  type ObjectClient,
  type ObjectOf,
  type ReconcileContext,
  type ResourceClient,
  type ResourceDescriptor,
} from '@kubeforge/runtime';
import type { BuiltInResource } from '@kubeforge/api';
import { deployments, type Deployment, type DeploymentList } from '@kubeforge/api/apps/v1';
import { cronJobs, jobs, type CronJob, type JobTemplateSpec } from '@kubeforge/api/batch/v1';
import {
  configMaps,
  namespaces,
  pods,
  secrets,
  type ConfigMap,
  type Container,
  type Namespace,
  type Pod,
  type PodTemplateSpec,
  type Secret,
} from '@kubeforge/api/core/v1';
import type { ObjectMeta } from '@kubeforge/api/meta/v1';
import { customResourceDefinitions } from '@kubeforge/api/apiextensions/v1';

/** Compiles only when `A` and `B` are the same type. */
type Equal<A, B> = (<V>() => V extends A ? 1 : 2) extends <V>() => V extends B ? 1 : 2 ? true : false;
function expectType<_T extends true>(): void {
  // Types only.
}

declare const kubeConfig: KubeConfig;
declare const context: ReconcileContext;

// The client's, informer's and lister's object type follows from the descriptor.
const deploymentClient = createResourceClient(kubeConfig, deployments);
expectType<Equal<typeof deploymentClient, ResourceClient<Deployment>>>();
expectType<Equal<ObjectOf<typeof secrets>, Secret>>();
expectType<Equal<(typeof deploymentClient)['resource'], ResourceDescriptor<Deployment>>>();

const factory = createSharedInformerFactory({ kubeConfig });
const podInformer = factory.informerFor(pods, { namespace: 'default' });
expectType<Equal<typeof podInformer, Informer<Pod>>>();
expectType<Equal<typeof podInformer.lister, Lister<Pod>>>();
expectType<Equal<ReturnType<typeof podInformer.lister.get>, Pod | undefined>>();

// The reconciler's cache-backed client.
const configMapObjects = context.client.resource(configMaps);
expectType<Equal<typeof configMapObjects, ObjectClient<ConfigMap>>>();

// Kinds are KubeObjects; metadata is the runtime's ObjectMeta.
const asObject: KubeObject = {} as Namespace;
expectType<Equal<Deployment['metadata'], ObjectMeta>>();
expectType<Equal<NonNullable<Deployment['kind']>, 'Deployment'>>();
expectType<Equal<DeploymentList['items'], Deployment[]>>();
const _descriptors: readonly BuiltInResource[] = [deployments, pods, namespaces, customResourceDefinitions];

// The builder: owns/watches infer the child's type for predicates and mappers.
controllerFor(cronJobs)
  .owns(jobs, {
    predicates: [(event) => event.type !== 'update' || event.newObject.spec?.template.spec?.restartPolicy !== 'Always'],
  })
  .watches(secrets, (secret) => [{ namespace: secret.metadata.namespace ?? '', name: secret.type ?? '' }])
  .complete(() => Promise.resolve({}));

// Generic predicates (of any KubeObject) mix with the typed ones without losing the type.
const owningDeployments = controllerFor(cronJobs).owns(deployments, {
  predicates: [generationChanged, (event) => event.type !== 'delete' || event.object.spec?.paused !== true],
});
expectType<Equal<typeof owningDeployments, ControllerBuilder<CronJob>>>();

// createOrUpdate and setControllerReference keep the built-in type.
async function reconcileApp(app: CronJob): Promise<Deployment> {
  const labels = { app: app.metadata.name ?? '' };
  const template: PodTemplateSpec = {
    metadata: { labels },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  };
  const { object } = await createOrUpdate(
    context.client.resource(deployments),
    { metadata: { name: 'web', namespace: 'default' } },
    (deployment) => {
      deployment.spec = { replicas: 2, selector: { matchLabels: labels }, template };
      setControllerReference(app, deployment);
    },
  );
  expectType<Equal<typeof object, Deployment>>();
  return object;
}

// Misuse does not compile.
// @ts-expect-error a Deployment descriptor does not make a client of Pods
createResourceClient<Pod>(kubeConfig, deployments);
// @ts-expect-error a Secret is not a ConfigMap, although their fields look alike
const _secretAsConfigMap: ResourceClient<ConfigMap> = createResourceClient(kubeConfig, secrets);
// @ts-expect-error a Deployment's spec needs a selector and a pod template
const _incomplete: Deployment = { metadata: { name: 'x' }, spec: { replicas: 1 } };
// @ts-expect-error kinds are KubeObjects: metadata is required
const _noMetadata: Pod = { spec: { containers: [] } };
// @ts-expect-error replicas is an int32, not a string
const _wrongScalar: Deployment['spec'] = { replicas: '3', selector: {}, template: {} };
// @ts-expect-error a container needs a name
const _unnamed: Container = { image: 'nginx' };
// @ts-expect-error the owned kind's predicates see its own type
controllerFor(cronJobs).owns(jobs, { predicates: [(e) => e.type !== 'update' || e.newObject.spec?.schedule === ''] });
// @ts-expect-error a JobTemplateSpec's spec is a JobSpec
const _jobTemplate: JobTemplateSpec = { spec: { schedule: '* * * * *' } };

export { asObject, deploymentClient, reconcileApp };
