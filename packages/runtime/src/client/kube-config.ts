/**
 * Loading credentials. The runtime takes a `@kubernetes/client-node` `KubeConfig`; operators
 * get theirs from here so they share the runtime's copy of that class (one `KubeConfig` type,
 * whatever else the project installs).
 *
 * Inside a Pod the credentials are the service account's: `KUBERNETES_SERVICE_HOST` and
 * `KUBERNETES_SERVICE_PORT` name the API server, and the kubelet mounts `token`, `ca.crt` and
 * `namespace` under {@link SERVICE_ACCOUNT_DIR}. `KUBEFORGE_SERVICE_ACCOUNT_DIR` points the
 * same loading at another directory, so a test can run an operator exactly as its Pod would.
 * The token is read from its file, never copied into the config: client-node re-reads it when
 * it is a minute old (client-go's cached token source does the same), so the tokens the
 * kubelet rotates in place are picked up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ClientUsageError } from './errors.ts';

export { KubeConfig };

/** Where the kubelet mounts a Pod's service account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The configuration kubectl would use: `$KUBECONFIG`, else `~/.kube/config`, else the
 * in-cluster service account (inside a Pod). With `KUBEFORGE_SERVICE_ACCOUNT_DIR` set, the
 * in-cluster service account read from that directory, whatever else is configured.
 */
export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const dir = env.KUBEFORGE_SERVICE_ACCOUNT_DIR;
  if (dir !== undefined && dir !== '') return loadInClusterKubeConfig({ dir, env });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}

export interface InClusterOptions {
  /** Directory holding `token`, `ca.crt` and (optionally) `namespace`; default {@link SERVICE_ACCOUNT_DIR}. */
  readonly dir?: string;
  /** Where `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The configuration of a Pod's service account, as client-go's `rest.InClusterConfig` builds
 * it: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the mounted CA, the token
 * file (re-read, never copied) and the namespace file as the context's namespace.
 */
export function loadInClusterKubeConfig(options: InClusterOptions = {}): KubeConfig {
  const dir = options.dir ?? SERVICE_ACCOUNT_DIR;
  const env = options.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new ClientUsageError(
      'KubeConfig',
      `in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT (got ${host ? `host ${host}` : 'no host'}, ${port ? `port ${port}` : 'no port'}); ` +
        'the kubelet sets them in every Pod; outside one set them to the API server, or use a kubeconfig',
    );
  }
  for (const file of ['token', 'ca.crt']) {
    if (!existsSync(join(dir, file))) {
      throw new ClientUsageError(
        'KubeConfig',
        `in-cluster configuration: ${join(dir, file)} does not exist; the service account directory ${dir} must hold token and ca.crt` +
          (dir === SERVICE_ACCOUNT_DIR ? ' (is automountServiceAccountToken false?)' : ''),
      );
    }
  }
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'inCluster',
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        caFile: join(dir, 'ca.crt'),
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: 'inClusterUser',
        authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } },
      },
    ],
    contexts: [
      {
        name: 'inClusterContext',
        cluster: 'inCluster',
        user: 'inClusterUser',
        ...(namespace ? { namespace } : {}),
      },
    ],
    currentContext: 'inClusterContext',
  });
  return kubeConfig;
}
