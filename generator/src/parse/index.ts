/**
 * Parsing: the only stage that uses the TypeScript compiler (via ts-morph). It loads the
 * project, finds `@resource` interfaces and `@rbac` tags, and returns plain model data plus
 * diagnostics; no compiler object escapes this folder.
 */
export {
  loadProject,
  openProject,
  type LoadProjectOptions,
  type LoadResult,
  type ProjectSession,
} from './load-project.ts';
export { defaultPlural } from './names.ts';
export { knownFormats } from './apply-field-markers.ts';
