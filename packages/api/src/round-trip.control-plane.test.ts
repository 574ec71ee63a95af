/**
 * Built-in kinds through the runtime on a real API server: a Deployment, a Pod, a Service and a
 * Secret are created, read, updated and listed with clients typed by their descriptors, and a
 * shared informer of each sees them, typed the same way. The server fills in what it owns
 * (defaults, a Service's cluster IP, a Secret's base64 data), proving the types match its JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createResourceClient,
  createSharedInformerFactory,
  type KubeObject,
  type ResourceDescriptor,
  type SharedInformerFactory,
} from '@kubeforge/runtime';
import { createNamespace, startControlPlane, type ControlPlane } from '@kubeforge/testing';
import { deployments, type Deployment } from '@kubeforge/api/apps/v1';
import {
  namespaces,
  pods,
  secrets,
  services,
  type Pod,
  type PodSpec,
  type Secret,
  type Service,
} from '@kubeforge/api/core/v1';

const labels = { app: 'round-trip' };
const podSpec: PodSpec = {
  containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }],
};

/** Polls until `condition` holds, or fails naming `what`. */
async function eventually(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('built-in kinds round-trip through typed clients and informers', () => {
  let cp: ControlPlane;
  let namespace: string;
  let factory: SharedInformerFactory;

  before(async () => {
    cp = await startControlPlane();
    namespace = await createNamespace(cp.kubeConfig, 'builtins');
    factory = createSharedInformerFactory({ kubeConfig: cp.kubeConfig });
  });

  after(async () => {
    await factory.stop();
    // Namespaces are never finalized without a controller-manager: deleting is all a test can do.
    await createResourceClient(cp.kubeConfig, namespaces).delete(namespace);
    await cp.stop();
  });

  /** The informer of `resource` in the test namespace, started and synced. */
  async function syncedInformer<T extends KubeObject>(resource: ResourceDescriptor<T>) {
    const informer = factory.informerFor(resource, { namespace });
    informer.start();
    assert.equal(await informer.waitForCacheSync(AbortSignal.timeout(20_000)), true);
    return informer;
  }

  it('a Deployment: spec with a pod template in, defaults out, status written through the subresource', async () => {
    const client = createResourceClient(cp.kubeConfig, deployments).inNamespace(namespace);
    const informer = await syncedInformer(deployments);
    const created = await client.create({
      metadata: { name: 'web', namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: podSpec },
      },
    });
    assert.equal(created.apiVersion, 'apps/v1');
    assert.equal(created.kind, 'Deployment');
    assert.equal(created.spec?.strategy?.type, 'RollingUpdate', 'the server defaults the strategy');
    assert.equal(created.spec.template.spec?.containers[0]?.imagePullPolicy, 'IfNotPresent');
    const scaled = await client.modify('web', (d: Deployment) => {
      d.spec = { ...d.spec!, replicas: 3 };
    });
    assert.equal(scaled.spec?.replicas, 3);
    const withStatus = await client.updateStatus({
      ...scaled,
      status: { replicas: 3, readyReplicas: 1, availableReplicas: 1 },
    });
    assert.equal(withStatus.status?.availableReplicas, 1);
    await eventually(
      () => informer.lister.get(namespace, 'web')?.status?.availableReplicas === 1,
      'the informer sees the Deployment status',
    );
    const cached: Deployment | undefined = informer.lister.namespace(namespace).get('web');
    assert.equal(cached?.spec?.replicas, 3);
    assert.deepEqual(
      (await client.list({ labelSelector: 'app=round-trip' })).items.map((d) => d.metadata.name),
      ['web'],
    );
  });

  it('a Pod: containers and ports in, defaults out, a merge patch through the typed client', async () => {
    const client = createResourceClient(cp.kubeConfig, pods);
    const informer = await syncedInformer(pods);
    const pod: Pod = { metadata: { name: 'solo', namespace, labels }, spec: podSpec };
    const created = await client.create(pod);
    assert.equal(created.spec?.restartPolicy, 'Always');
    assert.equal(created.spec.containers[0]?.ports?.[0]?.containerPort, 8080);
    assert.equal(created.spec.containers[0].terminationMessagePath, '/dev/termination-log');
    await eventually(() => informer.lister.get(namespace, 'solo') !== undefined, 'the informer sees the Pod');
    const patched = await client.patch(
      'solo',
      { type: 'merge', patch: { metadata: { annotations: { note: 'typed' } } } },
      { namespace },
    );
    assert.equal(patched.metadata.annotations?.note, 'typed');
    await eventually(
      () => informer.lister.get(namespace, 'solo')?.metadata.annotations?.note === 'typed',
      'the informer sees the annotation',
    );
  });

  it('a Service: int-or-string target ports in, a cluster IP out', async () => {
    const client = createResourceClient(cp.kubeConfig, services);
    const informer = await syncedInformer(services);
    const service: Service = {
      metadata: { name: 'web', namespace },
      spec: {
        selector: labels,
        ports: [
          { name: 'http', port: 80, targetPort: 8080 },
          { name: 'admin', port: 9000, targetPort: 'admin' },
        ],
      },
    };
    const created = await client.create(service);
    assert.equal(created.spec?.type, 'ClusterIP');
    assert.match(created.spec.clusterIP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(
      created.spec.ports?.map((p) => p.targetPort),
      [8080, 'admin'],
    );
    await eventually(
      () => informer.lister.get(namespace, 'web')?.spec?.clusterIP === created.spec?.clusterIP,
      'the informer sees the Service',
    );
  });

  it('a Secret: stringData in, base64 data out', async () => {
    const client = createResourceClient(cp.kubeConfig, secrets);
    const informer = await syncedInformer(secrets);
    const secret: Secret = {
      metadata: { name: 'credentials', namespace },
      type: 'Opaque',
      stringData: { password: 's3cret' },
    };
    const created = await client.create(secret);
    assert.equal(created.stringData, undefined);
    assert.equal(Buffer.from(created.data?.password ?? '', 'base64').toString(), 's3cret');
    await eventually(
      () => informer.lister.get(namespace, 'credentials') !== undefined,
      'the informer sees the Secret',
    );
    const deleted = await client.delete('credentials', { namespace });
    assert.equal(deleted.status, 'deleted');
    await eventually(
      () => informer.lister.get(namespace, 'credentials') === undefined,
      'the informer sees the deletion',
    );
  });
});
