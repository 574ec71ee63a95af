/**
 * The implementation of {@link ResourceClient}: validates namespaces and names up front, builds
 * the REST call and decodes the answer. Per-call work is string building, one JSON.stringify of
 * the body and one JSON.parse of the response.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import {
  apiVersionOf,
  type KubeObject,
  type ListMeta,
  type ObjectList,
  type ResourceDescriptor,
  type Status,
  type WatchEvent,
} from '../api/index.ts';
import { ApiError, ClientUsageError, isGone, NetworkError } from './errors.ts';
import { deleteBody, isPendingDeletion, isStatus } from './delete-result.ts';
import { patchContentTypes, type DeepPartial, type Patch } from './patch.ts';
import { createResourcePaths, withParam, type ResourcePaths } from './request-path.ts';
import type {
  ApplyOptions,
  ClientListOptions,
  ClientWatchOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  DeleteResult,
  GetOptions,
  ListAllOptions,
  ModifyOptions,
  Mutation,
  NewObject,
  PatchOptions,
  ResourceClient,
  WriteOptions,
} from './resource-client.ts';
import { DEFAULT_RETRY, retryOnConflict } from './retry.ts';
import { sharedTransport, type BufferedResponse, type HttpRequest, type Transport } from './transport.ts';
import {
  collectionNamespace,
  describeResource,
  objectNamespace,
  requireName,
  withCheckedTypeMeta,
} from './resource-scope.ts';
import { readListStream } from './list-stream.ts';
import { readWatchStream, withTypeMeta } from './watch-stream.ts';

export interface ResourceClientOptions {
  /** The connection to use; by default one transport is shared per KubeConfig (and context). */
  readonly transport?: Transport;
  /** Default timeout of non-watch calls; defaults to the transport's (30 s). */
  readonly timeoutMs?: number;
  /** Default field manager for writes; server-side apply requires one. */
  readonly fieldManager?: string;
}

const DEFAULT_PAGE_SIZE = 500;
const JSON_TYPE = 'application/json';

/**
 * Creates a typed client for one resource. `T` comes from a typed descriptor
 * (`createResourceClient(kubeConfig, deployments)` is a `ResourceClient<Deployment>`) or is given
 * explicitly for a plain one. It is trusted: the client does not validate response bodies against `T`.
 *
 * ```ts
 * const schedules = createResourceClient<BackupSchedule>(kubeConfig, backupScheduleResource);
 * const nightly = await schedules.get('nightly', { namespace: 'prod' });
 * ```
 */
export function createResourceClient<T extends KubeObject>(
  kubeConfig: KubeConfig,
  resource: ResourceDescriptor<T>,
  options: ResourceClientOptions = {},
): ResourceClient<T> {
  return createHttpResourceClient<T>(kubeConfig, resource, options, fullObjects);
}

/**
 * How a client asks for objects and reads what comes back: the Accept headers of reads, and
 * what each decoded object becomes (metadata-only clients keep type and metadata only).
 */
export interface ObjectForm {
  readonly accept?: { readonly object: string; readonly list: string };
  /** Finishes a decoded object in place or returns a replacement. */
  readonly finish: <T extends KubeObject>(
    object: T,
    typeMeta: { readonly apiVersion: string; readonly kind: string },
  ) => T;
}

/** Objects as the server stores them, with apiVersion and kind filled in where left out. */
const fullObjects: ObjectForm = { finish: withTypeMeta };

/** The client implementation with a given {@link ObjectForm}; for the other client flavours. */
export function createHttpResourceClient<T extends KubeObject>(
  kubeConfig: KubeConfig,
  resource: ResourceDescriptor,
  options: ResourceClientOptions,
  form: ObjectForm,
): ResourceClient<T> {
  const transport = options.transport ?? sharedTransport(kubeConfig);
  return new HttpResourceClient<T>(
    transport,
    resource,
    createResourcePaths(resource),
    undefined,
    options,
    form,
  );
}

class HttpResourceClient<T extends KubeObject> implements ResourceClient<T> {
  readonly resource: ResourceDescriptor<T>;
  readonly namespace: string | undefined;
  readonly #transport: Transport;
  readonly #paths: ResourcePaths;
  readonly #typeMeta: { readonly apiVersion: string; readonly kind: string };
  readonly #options: ResourceClientOptions;
  readonly #timeoutMs: number;
  readonly #form: ObjectForm;

  constructor(
    transport: Transport,
    resource: ResourceDescriptor,
    paths: ResourcePaths,
    namespace: string | undefined,
    options: ResourceClientOptions,
    form: ObjectForm,
  ) {
    this.resource = resource;
    this.namespace = namespace;
    this.#transport = transport;
    this.#paths = paths;
    this.#typeMeta = { apiVersion: apiVersionOf(resource), kind: resource.kind };
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? transport.timeoutMs;
    this.#form = form;
  }

  inNamespace(namespace: string): ResourceClient<T> {
    if (!this.resource.namespaced) {
      throw new ClientUsageError(
        'NamespaceNotAllowed',
        `${describeResource(this.resource)} is cluster-scoped: inNamespace("${namespace}") makes no sense; use the client directly`,
      );
    }
    if (namespace === '') {
      throw new ClientUsageError(
        'NamespaceRequired',
        `${describeResource(this.resource)}: inNamespace needs a non-empty namespace`,
      );
    }
    if (this.namespace !== undefined && this.namespace !== namespace) {
      throw new ClientUsageError(
        'NamespaceMismatch',
        `${describeResource(this.resource)}: this client is bound to namespace "${this.namespace}", not "${namespace}"`,
      );
    }
    return new HttpResourceClient<T>(
      this.#transport,
      this.resource,
      this.#paths,
      namespace,
      this.#options,
      this.#form,
    );
  }

  async get(name: string, options: GetOptions = {}): Promise<T> {
    const namespace = objectNamespace(this.resource, this.namespace, options.namespace, 'get');
    let path = this.#paths.object(namespace, requireName(this.resource, name, 'get'));
    path = withParam(path, 'resourceVersion', options.resourceVersion);
    const response = await this.#send({
      method: 'GET',
      path,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      accept: this.#form.accept?.object,
    });
    return this.#object(response);
  }

  async list(options: ClientListOptions = {}): Promise<ObjectList<T>> {
    const response = await this.#send({
      method: 'GET',
      path: this.#listPath(options),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      accept: this.#form.accept?.list,
    });
    const list = this.#decode(response) as Omit<ObjectList<T>, 'items'> & { items: T[] | null };
    // Go encodes an empty slice as null in some lists.
    list.items = (list.items ?? []).map((item) => this.#form.finish(item, this.#typeMeta));
    return list as ObjectList<T>;
  }

  async listEach(options: ClientListOptions, each: (item: T) => void): Promise<ListMeta> {
    const path = this.#listPath(options);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { signal } = options;
    const response = await this.#transport.open({
      method: 'GET',
      path,
      signal,
      timeoutMs,
      bodyTimeoutMs: timeoutMs,
      accept: this.#form.accept?.list,
    });
    const envelope = await readListStream(
      response.body,
      (item) => each(this.#form.finish(item as T, this.#typeMeta)),
      {
        signal,
        request: `GET ${this.#paths.collection(collectionNamespace(this.resource, this.namespace, options.namespace))}`,
        dropManagedFields: options.omitManagedFields,
      },
    );
    return envelope.metadata;
  }

  #listPath(options: ClientListOptions): string {
    const namespace = collectionNamespace(this.resource, this.namespace, options.namespace);
    let path = this.#paths.collection(namespace);
    path = withParam(path, 'labelSelector', options.labelSelector);
    path = withParam(path, 'fieldSelector', options.fieldSelector);
    path = withParam(path, 'limit', options.limit);
    path = withParam(path, 'continue', options.continue);
    path = withParam(path, 'resourceVersion', options.resourceVersion);
    return withParam(path, 'resourceVersionMatch', options.resourceVersionMatch);
  }

  async listAll(options: ListAllOptions = {}): Promise<ObjectList<T>> {
    const { pageSize = DEFAULT_PAGE_SIZE, ...rest } = options;
    if (!Number.isInteger(pageSize) || pageSize <= 0) {
      throw new ClientUsageError(
        'InvalidOption',
        `listAll: pageSize must be a positive integer, got ${pageSize}`,
      );
    }
    const first = await this.list({ ...rest, limit: pageSize });
    const items = first.items;
    let token = first.metadata.continue;
    while (token) {
      let page: ObjectList<T>;
      try {
        // Continue tokens carry the snapshot version; resourceVersion must not be sent with them.
        page = await this.list({ ...withoutVersion(rest), limit: pageSize, continue: token });
      } catch (error) {
        if (!isGone(error)) throw error;
        // The token expired (paging took longer than the server keeps history): fall back to
        // one unpaginated consistent list, as client-go's pager does.
        const full = await this.list(withoutVersion(rest));
        return {
          apiVersion: this.#typeMeta.apiVersion,
          kind: `${this.resource.kind}List`,
          metadata: full.metadata,
          items: full.items,
        };
      }
      for (const item of page.items) items.push(item);
      token = page.metadata.continue;
    }
    const metadata =
      first.metadata.resourceVersion === undefined ? {} : { resourceVersion: first.metadata.resourceVersion };
    return { apiVersion: this.#typeMeta.apiVersion, kind: `${this.resource.kind}List`, metadata, items };
  }

  async create(object: NewObject<T>, options: WriteOptions = {}): Promise<T> {
    const namespace = objectNamespace(this.resource, this.namespace, object.metadata.namespace, 'create');
    if (!object.metadata.name && !object.metadata.generateName) {
      throw new ClientUsageError(
        'NameRequired',
        `${describeResource(this.resource)}: create needs metadata.name or metadata.generateName`,
      );
    }
    const path = this.#writeParams(this.#paths.collection(namespace), options);
    const response = await this.#send({
      method: 'POST',
      path,
      body: JSON.stringify(withCheckedTypeMeta(this.resource, object, 'create')),
      contentType: JSON_TYPE,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.#object(response);
  }

  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#replace(object, undefined, options);
  }

  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.#replace(object, 'status', options);
  }

  async patch(name: string, patch: Patch<T>, options: PatchOptions = {}): Promise<T> {
    const namespace = objectNamespace(this.resource, this.namespace, options.namespace, 'patch');
    const checkedName = requireName(this.resource, name, 'patch');
    let path = this.#writeParams(this.#paths.object(namespace, checkedName, options.subresource), options);
    let body: string;
    switch (patch.type) {
      case 'merge':
      case 'strategic':
        body = JSON.stringify(patch.patch);
        break;
      case 'json':
        body = JSON.stringify(patch.operations);
        break;
      case 'apply': {
        if (options.fieldManager === undefined && this.#options.fieldManager === undefined) {
          throw new ClientUsageError(
            'FieldManagerRequired',
            `${describeResource(this.resource)}: server-side apply needs a fieldManager: pass { fieldManager } to the call or to createResourceClient`,
          );
        }
        path = withParam(path, 'force', patch.force);
        const configuration = patch.configuration as DeepPartial<KubeObject>;
        body = JSON.stringify({
          ...configuration,
          apiVersion: this.#typeMeta.apiVersion,
          kind: this.#typeMeta.kind,
          metadata: { ...configuration.metadata, name: checkedName },
        });
        break;
      }
    }
    const response = await this.#send({
      method: 'PATCH',
      path,
      body,
      contentType: patchContentTypes[patch.type],
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.#object(response);
  }

  apply(configuration: DeepPartial<T>, options: ApplyOptions = {}): Promise<T> {
    const metadata = (configuration as DeepPartial<KubeObject>).metadata;
    const name = metadata?.name;
    if (typeof name !== 'string' || name === '') {
      throw new ClientUsageError(
        'NameRequired',
        `${describeResource(this.resource)}: apply needs metadata.name in the configuration`,
      );
    }
    const { force, ...patchOptions } = options;
    const namespace = metadata?.namespace ?? undefined;
    return this.patch(
      name,
      { type: 'apply', configuration, ...(force === undefined ? {} : { force }) },
      { ...patchOptions, ...(namespace === undefined ? {} : { namespace }) },
    );
  }

  async delete(name: string, options: DeleteOptions = {}): Promise<DeleteResult<T>> {
    const namespace = objectNamespace(this.resource, this.namespace, options.namespace, 'delete');
    const path = this.#paths.object(namespace, requireName(this.resource, name, 'delete'));
    const response = await this.#send({
      method: 'DELETE',
      path,
      ...deleteBody(options),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    const body = this.#decode(response) as T | Status;
    if (isStatus(body)) return { status: 'deleted' };
    const object = withTypeMeta(body, this.#typeMeta);
    return isPendingDeletion(object) ? { status: 'pending', object } : { status: 'deleted', object };
  }

  async deleteCollection(options: DeleteCollectionOptions = {}): Promise<void> {
    const namespace = collectionNamespace(this.resource, this.namespace, options.namespace);
    if (this.resource.namespaced && namespace === undefined) {
      throw new ClientUsageError(
        'NamespaceRequired',
        `${describeResource(this.resource)}: deleteCollection needs a namespace (the API has no all-namespaces delete)`,
      );
    }
    let path = this.#paths.collection(namespace);
    path = withParam(path, 'labelSelector', options.labelSelector);
    path = withParam(path, 'fieldSelector', options.fieldSelector);
    const response = await this.#send({
      method: 'DELETE',
      path,
      ...deleteBody(options),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    this.#decode(response);
  }

  modify(name: string, mutate: Mutation<T>, options: ModifyOptions = {}): Promise<T> {
    const { status, namespace, ...writeOptions } = options;
    const getOptions: GetOptions = {
      ...(namespace === undefined ? {} : { namespace }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    return retryOnConflict(
      async () => {
        const current = await this.get(name, getOptions);
        const mutated = await mutate(current);
        if (mutated === false) return current;
        const next = mutated ?? current;
        return status === true ? this.updateStatus(next, writeOptions) : this.update(next, writeOptions);
      },
      DEFAULT_RETRY,
      options.signal === undefined ? {} : { signal: options.signal },
    );
  }

  async *watch(options: ClientWatchOptions = {}): AsyncGenerator<WatchEvent<T>, void, undefined> {
    const namespace = collectionNamespace(this.resource, this.namespace, options.namespace);
    let path = withParam(this.#paths.collection(namespace), 'watch', true);
    path = withParam(path, 'allowWatchBookmarks', options.allowWatchBookmarks);
    path = withParam(path, 'resourceVersion', options.resourceVersion);
    path = withParam(path, 'resourceVersionMatch', options.resourceVersionMatch);
    path = withParam(path, 'sendInitialEvents', options.sendInitialEvents);
    path = withParam(path, 'timeoutSeconds', options.timeoutSeconds);
    path = withParam(path, 'labelSelector', options.labelSelector);
    path = withParam(path, 'fieldSelector', options.fieldSelector);
    const { signal, onActivity } = options;
    if (signal?.aborted) return;
    let response;
    try {
      response = await this.#transport.open({
        method: 'GET',
        path,
        signal,
        timeoutMs: this.#timeoutMs,
        accept: this.#form.accept?.object,
        watch: true,
      });
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    const events = readWatchStream<T>(response.body, this.#typeMeta, {
      signal,
      onActivity,
      request: `GET ${path.slice(0, path.indexOf('?'))}`,
    });
    if (this.#form === fullObjects) {
      yield* events;
      return;
    }
    for await (const event of events) {
      yield 'object' in event ? { ...event, object: this.#form.finish(event.object, this.#typeMeta) } : event;
    }
  }

  async #replace(object: T, subresource: 'status' | undefined, options: WriteOptions): Promise<T> {
    const verb = subresource === undefined ? 'update' : 'updateStatus';
    const namespace = objectNamespace(this.resource, this.namespace, object.metadata.namespace, verb);
    const name = requireName(this.resource, object.metadata.name, verb);
    const path = this.#writeParams(this.#paths.object(namespace, name, subresource), options);
    const response = await this.#send({
      method: 'PUT',
      path,
      body: JSON.stringify(withCheckedTypeMeta(this.resource, object, verb)),
      contentType: JSON_TYPE,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.#object(response);
  }

  #send(request: HttpRequest): Promise<BufferedResponse> {
    return this.#transport.send(
      request.timeoutMs === undefined ? { ...request, timeoutMs: this.#timeoutMs } : request,
    );
  }

  #writeParams(path: string, options: WriteOptions): string {
    let result = withParam(path, 'dryRun', options.dryRun === true ? 'All' : undefined);
    result = withParam(result, 'fieldManager', options.fieldManager ?? this.#options.fieldManager);
    return withParam(result, 'fieldValidation', options.fieldValidation);
  }

  /** Decodes a 2xx JSON body, or throws the ApiError for a failure. */
  #decode(response: BufferedResponse): unknown {
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw ApiError.fromResponse(response.statusCode, response.body, response.request, response.retryAfter);
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (error) {
      throw new NetworkError(
        'MalformedResponse',
        `the server sent a body that is not JSON (${response.request})`,
        {
          request: response.request,
          cause: error,
        },
      );
    }
  }

  #object(response: BufferedResponse): T {
    return this.#form.finish(this.#decode(response) as T, this.#typeMeta);
  }
}

function withoutVersion<O extends { resourceVersion?: string; resourceVersionMatch?: string }>(
  options: O,
): Omit<O, 'resourceVersion' | 'resourceVersionMatch'> {
  const { resourceVersion: _rv, resourceVersionMatch: _match, ...rest } = options;
  return rest;
}
