/**
 * view-models: the typed data each Handlebars template in the top-level `templates/` folder
 * renders, built from the project model, plus the strict template engine and the name
 * formatters its helpers use.
 */
export {
  camelCase,
  constantCase,
  kebabCase,
  objectVariableName,
  pascalCase,
  pluralize,
  words,
} from './names.ts';
export { render, renderTemplate, templatesDir, TemplateError, type TemplateViewModels } from './render.ts';
export {
  buildIndexModuleViewModel,
  buildKindModuleViewModel,
  generatedDir,
  kindModulePath,
  kindVersions,
  type IndexGroup,
  type IndexKind,
  type IndexModuleImport,
  type IndexModuleViewModel,
  type IndexVersion,
  type KindModuleViewModel,
  type KindVersion,
} from './code.ts';
export {
  buildControllerViewModel,
  controllerPath,
  registerFunctionName,
  type ControllerViewModel,
  type StatusWrite,
} from './scaffold.ts';
export {
  buildReconciledHelperViewModel,
  missingStatusFields,
  reconciledFunctionName,
  statusFieldsOf,
  type ReconciledHelperViewModel,
} from './reconciled.ts';
