/** The intermediate model between parsing and emitting: plain readonly data, no compiler objects. */
export { emittedValidationRule, isScalarSchema, schemaAtPath } from './schema.ts';
export {
  capDescription,
  capNestedDescriptions,
  mapChildSchemas,
  truncateDescription,
} from './descriptions.ts';
export type {
  JsonObject,
  JsonValue,
  Schema,
  SchemaType,
  ValidationRule,
  ValidationRuleSource,
} from './schema.ts';
export { compareKubeVersions, isKubeVersion, storageVersion } from './project-model.ts';
export type {
  AdmissionOperation,
  AdmissionWebhookModel,
  ConversionModel,
  KindModel,
  PrinterColumn,
  ProjectModel,
  RbacRule,
  ScaleSubresource,
  Scope,
  StatusFields,
  Subresources,
  TypeSource,
  VersionModel,
} from './project-model.ts';
