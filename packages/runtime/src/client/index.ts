/**
 * client: the typed API client. {@link createResourceClient} gives a `ResourceClient<T>` for one
 * resource (all verbs, typed errors, watch as an async iterable); it also implements the
 * `ListerWatcher` contract the watcher and cache use. Connections are keep-alive and shared
 * per KubeConfig; credentials come from `@kubernetes/client-node`.
 */
export { createResourceClient, type ResourceClientOptions } from './create-resource-client.ts';
export type {
  ResourceClient,
  RequestOptions,
  NamespaceOption,
  GetOptions,
  ClientListOptions,
  ListAllOptions,
  ClientWatchOptions,
  FieldValidation,
  WriteOptions,
  PatchOptions,
  ApplyOptions,
  PropagationPolicy,
  DeleteOptions,
  DeleteCollectionOptions,
  DeleteResult,
  Mutation,
  ModifyOptions,
} from './resource-client.ts';
export {
  patchContentTypes,
  jsonPointer,
  type Patch,
  type JsonPatchOperation,
  type DeepPartial,
} from './patch.ts';
export {
  ApiError,
  NetworkError,
  ClientUsageError,
  reasonForStatusCode,
  isApiError,
  isNetworkError,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isInvalid,
  isForbidden,
  isUnauthorized,
  isBadRequest,
  isMethodNotAllowed,
  isGone,
  isTooManyRequests,
  isTimeout,
  isServerTimeout,
  isInternalError,
  isServiceUnavailable,
  type ApiErrorReason,
  type ApiErrorInit,
  type NetworkErrorReason,
  type ClientUsageErrorReason,
} from './errors.ts';
export {
  retryOnConflict,
  retryOnError,
  backoffDelays,
  DEFAULT_RETRY,
  type RetryBackoff,
  type RetryControls,
} from './retry.ts';
export {
  createTransport,
  DEFAULT_USER_AGENT,
  type Transport,
  type TransportOptions,
  type TransportStats,
  type HttpRequest,
  type BufferedResponse,
  type StreamingResponse,
} from './transport.ts';
export { KubeConfig, loadKubeConfig } from './kube-config.ts';
