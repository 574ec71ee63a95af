/**
 * Built-in Kubernetes types as schema data: the controller-gen-equivalent structural schemas
 * `@kubeforge/api` ships, inlined for use in CRDs. No compiler objects here; the parse stage
 * decides which TypeScript declarations are built-in (parse/builtin-types.ts).
 */
export { BuiltinSchemaLibrary, type Lookup, type LookupFailure } from './schema-library.ts';
