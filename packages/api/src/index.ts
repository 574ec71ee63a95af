/**
 * `@kubeforge/api`: the built-in Kubernetes API, one module per group/version
 * (`@kubeforge/api/apps/v1`, `@kubeforge/api/core/v1`, ..., `@kubeforge/api/meta/v1`). This root
 * entry holds only what every module shares; import kinds and descriptors from their module.
 */
export type { BuiltInResource, Verb } from './built-in-resource.ts';
export { kubernetesRelease } from './release.ts';
