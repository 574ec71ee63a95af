/**
 * import: third-party CRDs (cert-manager, ...) to TypeScript types and the typed client,
 * lister and informer of owned kinds, so operators can watch and own them.
 */
export {
  importCrds,
  importedTypesPath,
  importedClientPath,
  emitImportedClient,
  type ImportCrdsOptions,
  type ImportResult,
} from './import-crds.ts';
export {
  readCrds,
  parseCrdDocuments,
  crdToKind,
  toModelSchema,
  type CrdReadOptions,
  type CrdReadResult,
} from './crd-to-model.ts';
export {
  emitImportedTypes,
  importedHeader,
  importedHeaderPrefix,
  rootJsonSchema,
  toJsonSchema,
} from './types.ts';
