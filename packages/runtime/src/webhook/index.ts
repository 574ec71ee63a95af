/**
 * webhook: admission (defaulting, validation, raw typed handlers for any kind) and CRD
 * version conversion through a hub, served over HTTPS by the manager on every replica, with
 * certificates from files or issued and rotated by the operator itself.
 */
export {
  admission,
  allow,
  defaulting,
  deny,
  patchResult,
  validating,
  AdmissionDenied,
  type AdmissionContext,
  type AdmissionHandler,
  type AdmissionResult,
  type AdmissionWebhook,
  type Defaulter,
  type RawAdmissionOptions,
  type ValidationOutcome,
  type Validator,
  type WebhookOptions,
} from './admission.ts';
export {
  conversion,
  conversionAnnotationPrefix,
  type ConversionOptions,
  type ConversionWebhook,
  type SpokeConversion,
} from './conversion.ts';
export {
  fieldError,
  formatFieldError,
  formatFieldErrors,
  type FieldError,
  type FieldErrorType,
} from './field-errors.ts';
export {
  WebhookError,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReview,
  type ConversionRequest,
  type ConversionResponse,
  type ConversionReview,
  type GroupVersionKind,
  type GroupVersionResource,
  type Operation,
  type UserInfo,
  type WebhookErrorReason,
} from './review.ts';
export {
  startWebhookServer,
  type WebhookRegistration,
  type WebhookServer,
  type WebhookServerOptions,
} from './server.ts';
export * from './certs/index.ts';
