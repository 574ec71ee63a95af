import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

/**
 * Creates a namespace with a unique name `<prefix>-<random>` for one test and returns the name.
 * The local control plane has no namespace controller, so deleted namespaces stay Terminating;
 * isolate tests by name instead of relying on deletion.
 */
export async function createNamespace(
  kubeConfig: KubeConfig,
  prefix = 'test',
  labels: Readonly<Record<string, string>> = {},
): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`.toLowerCase().slice(0, 63);
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name, labels: { 'kubeforge.dev/test': 'true', ...labels } } } });
  return name;
}
