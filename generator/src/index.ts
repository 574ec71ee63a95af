/**
 * @kubeforge/generator: TypeScript API types to CRDs, RBAC, typed clients and scaffolding.
 *
 * A compiler pipeline: `loadProject` (parse, the only stage using the TypeScript compiler)
 * -> `ProjectModel` (plain data) -> emitters (`emitCrds`, `emitRbac`, each returning
 * `OutputFile[]`) -> `writeOutputs` (the one writer). Problems are `Diagnostic`s, printed
 * with `formatDiagnostics`.
 */
export * from './diagnostics/index.ts';
export * from './model/index.ts';
export * from './markers/index.ts';
export * from './parse/index.ts';
export * from './emit/index.ts';
export * from './write/index.ts';
export {
  checkCrdOptions,
  generateManifests,
  type GenerateManifestsOptions,
  type GenerateManifestsResult,
} from './generate.ts';
export * from './import/index.ts';
export * from './emit/code/index.ts';
export * from './emit/scaffold/index.ts';
export * from './view-models/index.ts';
export { generate, type GenerateOptions, type GenerateReport } from './generate-project.ts';
