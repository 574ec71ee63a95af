/**
 * Loading credentials. The runtime takes a `@kubernetes/client-node` `KubeConfig`; operators
 * get theirs from here so they share the runtime's copy of that class (one `KubeConfig` type,
 * whatever else the project installs).
 */
import { KubeConfig } from '@kubernetes/client-node';

export { KubeConfig };

/**
 * The configuration kubectl would use: `$KUBECONFIG`, else `~/.kube/config`, else the
 * in-cluster service account (inside a Pod).
 */
export function loadKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}
