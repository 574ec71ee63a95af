/**
 * @kubeforge/testing: a real local control plane (etcd + kube-apiserver) for operator tests,
 * benchmarks and demos, or an existing cluster via KUBEFORGE_USE_EXISTING_CLUSTER=1.
 */
export {
  startControlPlane,
  type ControlPlane,
  type ControlPlaneUser,
  type LocalControlPlane,
  type StartControlPlaneOptions,
} from './control-plane.ts';
export {
  installCRDs,
  uninstallCRDs,
  type CrdSource,
  type CustomResourceDefinition,
  type InstallCrdsOptions,
} from './crds.ts';
export { createNamespace } from './namespaces.ts';
export { startTcpProxy, withServer, type TcpProxy } from './tcp-proxy.ts';
export { readManifests, type Manifest, type ManifestSource } from './manifests.ts';
export {
  createServiceAccountIdentity,
  type ServiceAccountIdentity,
  type ServiceAccountIdentityOptions,
} from './service-account.ts';
export {
  installWebhooks,
  type InstalledWebhooks,
  type WebhookConfiguration,
  type WebhookInstallOptions,
} from './webhooks.ts';
export { ControlPlaneError } from './errors.ts';
export { issueLoopbackCertificates, type LoopbackCertificates } from './loopback-certs.ts';
export {
  CONTROL_PLANE_VERSION,
  controlPlaneDir,
  defaultControlPlaneDir,
  resolveBinaries,
  binaryVersions,
  type BinaryVersions,
  type ControlPlaneBinaries,
} from './binaries.ts';
export { parseServerVersion, type ServerVersion } from './server-version.ts';
export { skipUnlessServerAtLeast } from './require-version.ts';
