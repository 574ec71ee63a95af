/** @kubeforge/generator: TypeScript API types to CRDs, RBAC, typed clients and scaffolding. */
export {};
