/**
 * Metadata-only reads (client-go's metadata client, controller-runtime's `OnlyMetadata`): the
 * API server is asked for `meta.k8s.io/v1` PartialObjectMetadata through content negotiation
 * (`Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` for lists,
 * `as=PartialObjectMetadata` for single objects and watch events), so an object's data, spec
 * and status never cross the wire. Served for every resource since Kubernetes 1.15.
 *
 * Contract: every object returned is a {@link PartialObjectMetadata} carrying the object's
 * own apiVersion and kind (not `meta.k8s.io/v1`) and its metadata, nothing else. A server
 * that cannot answer in that form may answer with whole objects (the Accept header allows
 * plain JSON as a fallback, as client-go's does); they are cut down to the same shape.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, PartialObjectMetadata, ResourceDescriptor } from '../api/index.ts';
import {
  createHttpResourceClient,
  type ObjectForm,
  type ResourceClientOptions,
} from './create-resource-client.ts';
import type { ResourceClient } from './resource-client.ts';

/** Accept header of single objects and watch events in metadata form. */
export const PARTIAL_OBJECT_METADATA_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
/** Accept header of lists in metadata form. */
export const PARTIAL_OBJECT_METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** The reads of a {@link ResourceClient}, answering with type and metadata only. */
export interface MetadataClient extends Pick<
  ResourceClient<PartialObjectMetadata>,
  'resource' | 'namespace' | 'get' | 'list' | 'listAll' | 'listEach' | 'watch'
> {
  /** A view whose calls default to `namespace` (see `ResourceClient.inNamespace`). */
  inNamespace(namespace: string): MetadataClient;
}

/**
 * Reduces an object to its type and metadata, with the resource's apiVersion and kind. Keeps
 * the same `metadata` object: nothing is copied.
 */
export function toPartialObjectMetadata(
  object: KubeObject,
  typeMeta: { readonly apiVersion: string; readonly kind: string },
): PartialObjectMetadata {
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, metadata: object.metadata };
}

const metadataForm: ObjectForm = {
  accept: { object: PARTIAL_OBJECT_METADATA_ACCEPT, list: PARTIAL_OBJECT_METADATA_LIST_ACCEPT },
  finish: <T extends KubeObject>(
    object: T,
    typeMeta: { readonly apiVersion: string; readonly kind: string },
  ) => toPartialObjectMetadata(object, typeMeta) as KubeObject as T,
};

/**
 * Creates a metadata-only client for one resource (see the module comment).
 *
 * ```ts
 * const secretNames = createMetadataClient(kubeConfig, secrets);
 * const page = await secretNames.list({ namespace: 'prod' }); // items: PartialObjectMetadata[]
 * ```
 */
export function createMetadataClient(
  kubeConfig: KubeConfig,
  resource: ResourceDescriptor,
  options: ResourceClientOptions = {},
): MetadataClient {
  return createHttpResourceClient<PartialObjectMetadata>(kubeConfig, resource, options, metadataForm);
}
