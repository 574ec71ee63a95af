export { emitWebhooks } from './webhook.ts';
export { defaultKustomization, readWebhookDeployment } from './deployment.ts';
export {
  admissionPath,
  admissionWebhookName,
  conversionPath,
  defaultDeployment,
  hasWebhooks,
  mutatingConfigurationName,
  validatingConfigurationName,
  webhookDir,
  webhookSecretName,
  webhookServiceName,
  type WebhookDeployment,
} from './names.ts';
