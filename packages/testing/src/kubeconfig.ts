import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export interface TokenKubeConfigOptions {
  readonly server: string;
  /** PEM bundle the server's certificate chains to. */
  readonly caPem: string;
  readonly user: string;
  readonly token: string;
  readonly contextName?: string;
}

/** A kubeconfig document (YAML) for one cluster, one token user and one current context. */
export function tokenKubeConfigYaml(options: TokenKubeConfigOptions): string {
  const context = options.contextName ?? 'kubeforge-local';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: context,
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [{ name: context, context: { cluster: context, user: options.user } }],
    'current-context': context,
    preferences: {},
  });
}

export function kubeConfigFromYaml(yaml: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(yaml);
  return kubeConfig;
}
