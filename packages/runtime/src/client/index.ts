/**
 * client: the typed API client.
 *
 * `createResourceClient<T>(kubeConfig, resource)` gives a {@link ResourceClient} for one
 * resource: every verb, typed errors, and watch as an async iterable. It also implements the
 * `ListerWatcher` contract the watcher and cache build on. Connections are keep-alive undici
 * pools shared per KubeConfig; credentials (tokens, client certificates, exec plugins,
 * in-cluster service accounts) come from `@kubernetes/client-node`.
 *
 * ```ts
 * const gadgets = createResourceClient<Gadget>(kubeConfig, gadgetResource, { fieldManager: 'gadget-controller' });
 * try {
 *   await gadgets.create({ metadata: { name: 'a', namespace: 'prod' }, spec: { size: 1 } });
 * } catch (error) {
 *   if (!isAlreadyExists(error)) throw error;
 * }
 * // Read-modify-write, retried on Conflict with a fresh read each time:
 * await gadgets.modify('a', (gadget) => { gadget.spec.size += 1; }, { namespace: 'prod' });
 * for await (const event of gadgets.watch({ namespace: 'prod', signal })) { ... }
 * ```
 *
 * `createMetadataClient(kubeConfig, resource)` reads type and metadata only
 * (`PartialObjectMetadata`), negotiated with the API server so the rest never crosses the
 * wire. Lists can be read as they arrive (`listEach`): items are decoded one at a time.
 */
export { createResourceClient, type ResourceClientOptions } from './create-resource-client.ts';
export {
  createMetadataClient,
  toPartialObjectMetadata,
  PARTIAL_OBJECT_METADATA_ACCEPT,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
  type MetadataClient,
} from './metadata-client.ts';
export { ListSplitter, readListStream, type ListEnvelope } from './list-stream.ts';
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
  NewObject,
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
  sharedTransport,
  type ObservedRequest,
  type RequestObserver,
  type Transport,
  type TransportOptions,
  type TransportStats,
  type HttpRequest,
  type BufferedResponse,
  type StreamingResponse,
} from './transport.ts';
export {
  KubeConfig,
  loadKubeConfig,
  loadInClusterKubeConfig,
  SERVICE_ACCOUNT_DIR,
  type InClusterOptions,
} from './kube-config.ts';
export { describeForbidden, rbacMarkerFor, type ForbiddenRequest } from './forbidden.ts';
