/**
 * Emitters: one per artifact, each a pure function from the model to {@link OutputFile}s.
 * They never read or write the disk and never need the compiler.
 */
export { generatedHeader, type OutputFile, type Ownership } from './output-file.ts';
export { toYaml } from './yaml.ts';
export { crdFileName, crdName, crdObject, emitCrds, finishSchema } from './crd/crd.ts';
export {
  annotationLimitBytes,
  checkCrds,
  crdSizeDiagnostic,
  crdSizes,
  etcdRequestLimitBytes,
  nearLimitRatio,
  type CrdSize,
} from './crd/checks.ts';
export {
  celMinimumKubeVersion,
  defaultCrdDir,
  defaultKubeVersion,
  isKubeVersionString,
  kubeVersionAtLeast,
  kubeVersionProblem,
  maxDescriptionLengthProblem,
  oldestKubeVersion,
  selectableFieldsMinimumKubeVersion,
  type CrdOptions,
} from './crd/options.ts';
export { emitRbac, managerRules, mergeRules, type PolicyRule, type RbacOptions } from './rbac/role.ts';
export {
  admissionPath,
  admissionWebhookName,
  conversionPath,
  defaultDeployment,
  defaultKustomization,
  emitWebhooks,
  readWebhookDeployment,
  hasWebhooks,
  mutatingConfigurationName,
  validatingConfigurationName,
  webhookDir,
  webhookSecretName,
  webhookServiceName,
  type WebhookDeployment,
} from './webhook/index.ts';
