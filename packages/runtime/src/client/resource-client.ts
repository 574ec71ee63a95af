/**
 * The typed client for one resource: every verb the API server offers on a collection and its
 * objects, plus the {@link ListerWatcher} contract the cache builds on.
 *
 * Namespaces: name-based verbs (`get`, `patch`, `delete`) take `namespace` in their options;
 * object-based verbs (`create`, `update`, `updateStatus`, `apply`) read `metadata.namespace`;
 * `list`/`watch` span all namespaces unless one is given. `inNamespace(ns)` returns a view
 * whose calls default to `ns` (what a namespace-scoped informer is given). Cluster-scoped
 * resources reject any namespace with a {@link ClientUsageError}.
 */
import type {
  KubeObject,
  ListerWatcher,
  ListMeta,
  ListOptions,
  ObjectList,
  ResourceDescriptor,
  WatchEvent,
  WatchOptions,
} from '../api/index.ts';
import type { DeepPartial, Patch } from './patch.ts';

/** Options every request accepts. */
export interface RequestOptions {
  /** Aborting rejects the call with the signal's reason (an `AbortError` by default). */
  readonly signal?: AbortSignal;
  /**
   * Fails the call with a `NetworkError` (reason `Timeout`) when the server sends no response
   * headers, or no body bytes, for this long. Defaults to the client's `timeoutMs`.
   */
  readonly timeoutMs?: number;
}

export interface NamespaceOption {
  /** Required for namespaced resources (unless the client is an `inNamespace` view); rejected for cluster-scoped ones. */
  readonly namespace?: string;
}

export interface GetOptions extends RequestOptions, NamespaceOption {
  /** `'0'` allows a possibly stale read served from the API server's watch cache. */
  readonly resourceVersion?: string;
}

export interface ClientListOptions extends ListOptions, NamespaceOption {
  readonly timeoutMs?: number;
}

export interface ListAllOptions extends Omit<ClientListOptions, 'limit' | 'continue'> {
  /** Items per request; default 500. */
  readonly pageSize?: number;
}

export interface ClientWatchOptions extends WatchOptions, NamespaceOption {}

/** Server-side field validation for writes: reject, warn about, or ignore unknown and duplicate fields. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions extends RequestOptions {
  /** Validate and run admission, but persist nothing; the response shows what would be stored. */
  readonly dryRun?: boolean;
  /** The field manager recorded in managedFields; defaults to the client's `fieldManager`. */
  readonly fieldManager?: string;
  readonly fieldValidation?: FieldValidation;
}

export interface PatchOptions extends WriteOptions, NamespaceOption {
  /** Patch the status subresource instead of the main resource. */
  readonly subresource?: 'status';
}

export interface ApplyOptions extends Omit<WriteOptions, 'fieldManager'> {
  /** Required by server-side apply: who owns the applied fields. Defaults to the client's `fieldManager`. */
  readonly fieldManager?: string;
  /** Take ownership of fields owned by other managers instead of failing with a 409 Conflict. */
  readonly force?: boolean;
  readonly subresource?: 'status';
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions extends RequestOptions, NamespaceOption {
  readonly dryRun?: boolean;
  /** How dependents (objects whose ownerReferences point here) are deleted; the server default is Background. */
  readonly propagationPolicy?: PropagationPolicy;
  /** Seconds before the object is deleted; 0 deletes immediately; unset uses the kind's default. */
  readonly gracePeriodSeconds?: number;
  /** The delete fails with 409 Conflict unless the stored object still has this uid / resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface DeleteCollectionOptions extends Omit<DeleteOptions, 'preconditions'> {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/**
 * What a delete did. `deleted`: the object is gone (`object` is its last state when the server
 * returned it rather than a Status). `pending`: the object still exists, marked with a
 * deletionTimestamp, held by finalizers or a grace period; a watch will report its removal.
 */
export type DeleteResult<T> =
  { readonly status: 'deleted'; readonly object?: T } | { readonly status: 'pending'; readonly object: T };

/**
 * A mutation for {@link ResourceClient.modify}: change the freshly read object in place, or
 * return a replacement. Return `false` to skip the update (nothing to change). It may run
 * several times (once per conflict), so it must not have other side effects.
 */
// `void` lets a mutation change the object in place without a return statement.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type Mutation<T> = (current: T) => T | false | void | Promise<T | false | void>;

export interface ModifyOptions extends WriteOptions, NamespaceOption {
  /** Update the status subresource (`updateStatus`) instead of the main resource. */
  readonly status?: boolean;
}

/**
 * An object to create: apiVersion and kind may be left out (the client fills them in from its
 * resource; if present they must match).
 */
export type NewObject<T extends KubeObject> = Omit<T, 'apiVersion' | 'kind'> &
  Partial<Pick<T, 'apiVersion' | 'kind'>>;

/**
 * A client for one resource. Every object it returns is freshly decoded and owned by the
 * caller (unlike objects from a cache's lister), with apiVersion and kind filled in. Failures
 * are `ApiError` (the server said no), `NetworkError` (no usable answer) or
 * `ClientUsageError` (the call was wrong and was not sent).
 */
export interface ResourceClient<T extends KubeObject> extends ListerWatcher<T> {
  readonly resource: ResourceDescriptor<T>;
  /** The namespace this view is bound to (see {@link ResourceClient.inNamespace}); `undefined` for the root client. */
  readonly namespace: string | undefined;

  /** A view whose calls default to `namespace`; an explicit different namespace is rejected. */
  inNamespace(namespace: string): ResourceClient<T>;

  /** Reads one object; a missing one rejects with an `ApiError` that `isNotFound` accepts. */
  get(name: string, options?: GetOptions): Promise<T>;
  /**
   * One page, or everything without `limit`. Follow `metadata.continue` for more pages, or use
   * {@link ResourceClient.listAll}.
   */
  list(options?: ClientListOptions): Promise<ObjectList<T>>;
  /**
   * Lists every page, following continue tokens. The result is a consistent snapshot at the
   * first page's `metadata.resourceVersion`. If a continue token expires midway (paging slower
   * than the server keeps history), it falls back to one unpaginated consistent list.
   */
  listAll(options?: ListAllOptions): Promise<ObjectList<T>>;
  /**
   * One page like {@link ResourceClient.list}, read as it arrives: each item is decoded and
   * handed to `each` before the next is read, so neither the response body nor the whole
   * parsed page is ever held (what the informers list with). Returns the list's metadata.
   */
  listEach(options: ClientListOptions, each: (item: T) => void): Promise<ListMeta>;

  /** Creates the object; apiVersion and kind are filled in. Returns the stored object. */
  create(object: NewObject<T>, options?: WriteOptions): Promise<T>;
  /**
   * Replaces the object (not its status, for kinds with a status subresource). Fails with
   * Conflict if `metadata.resourceVersion` is stale: read fresh and retry, e.g. with
   * {@link ResourceClient.modify} or `retryOnConflict`.
   */
  update(object: T, options?: WriteOptions): Promise<T>;
  /** Replaces the status subresource only; spec changes in `object` are ignored by the server. */
  updateStatus(object: T, options?: WriteOptions): Promise<T>;
  patch(name: string, patch: Patch<T>, options?: PatchOptions): Promise<T>;
  /** Server-side apply of a partial object; name and namespace come from its metadata. */
  apply(configuration: DeepPartial<T>, options?: ApplyOptions): Promise<T>;
  /** Deletes one object; see {@link DeleteResult} for objects held by finalizers. */
  delete(name: string, options?: DeleteOptions): Promise<DeleteResult<T>>;
  /** Deletes every object the selectors match, in one namespace (required for namespaced resources). */
  deleteCollection(options?: DeleteCollectionOptions): Promise<void>;
  /**
   * Get-modify-update with optimistic concurrency: reads the object, applies `mutate` to the
   * fresh copy and writes it back, re-reading and retrying on Conflict (client-go's
   * DefaultRetry). Returns the stored object (or the unchanged one when `mutate` returns false).
   */
  modify(name: string, mutate: Mutation<T>, options?: ModifyOptions): Promise<T>;

  /**
   * Watches changes as typed events, ending when the server closes the stream (or without an
   * error when `signal` aborts). Throws `ApiError` when the server refuses the watch (e.g. 410
   * Gone as the HTTP status) and `NetworkError` when the connection fails; an in-stream ERROR
   * event is yielded as `{ type: 'error', status }`.
   */
  watch(options?: ClientWatchOptions): AsyncIterable<WatchEvent<T>>;
}
