/**
 * Make an object look the way a controller wants, whether or not it exists:
 * `createOrUpdate` reads it from the API server, applies your `mutate` function to a copy (or
 * to your template if it does not exist) and writes only when something changed;
 * `createOrPatch` sends the change as a JSON merge patch instead (and the status through the
 * status subresource), so fields it does not touch are never overwritten by a stale read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/index.ts';
import { isNotFound } from '../client/errors.ts';
import type { ResourceClient } from '../client/resource-client.ts';
import { retryOnConflict } from '../client/retry.ts';
import type { ObjectClient } from '../controller/client.ts';

export type OperationResult = 'created' | 'updated' | 'unchanged';

/** Changes the object in place to its desired state (may be async). */
export type MutateFunc<T> = (object: T) => void | Promise<void>;

export interface CreateOrUpdateResult<T> {
  readonly result: OperationResult;
  /** The object as stored (or as read, when unchanged). */
  readonly object: T;
}

export interface MutateOptions {
  readonly signal?: AbortSignal;
}

export class MutateError extends Error {
  readonly reason = 'MutatedIdentity';
  constructor(message: string) {
    super(message);
    this.name = 'MutateError';
  }
}

type Writable<T extends KubeObject> = ResourceClient<T> | ObjectClient<T>;

function apiOf<T extends KubeObject>(client: Writable<T>): ResourceClient<T> {
  return 'api' in client ? client.api : client;
}

/**
 * Creates `object` (after `mutate`) if it does not exist, else updates it when `mutate`
 * changed it. Conflicts (someone wrote in between) are retried with a fresh read.
 */
export async function createOrUpdate<T extends KubeObject>(
  client: Writable<T>,
  object: T,
  mutate: MutateFunc<T>,
  options: MutateOptions = {},
): Promise<CreateOrUpdateResult<T>> {
  const api = apiOf(client);
  return retryOnConflict(async () => {
    const current = await readOrUndefined(api, object, options);
    if (current === undefined) {
      const draft = structuredClone(object);
      await mutateChecked(draft, object, mutate);
      return { result: 'created', object: await api.create(draft, signalOf(options)) };
    }
    const draft = structuredClone(current);
    await mutateChecked(draft, current, mutate);
    if (isDeepStrictEqual(draft, current)) return { result: 'unchanged', object: current };
    return { result: 'updated', object: await api.update(draft, signalOf(options)) };
  });
}

/**
 * Like {@link createOrUpdate}, but writes the difference as merge patches: one for the object
 * and, if `status` changed, one for the status subresource.
 */
export async function createOrPatch<T extends KubeObject>(
  client: Writable<T>,
  object: T,
  mutate: MutateFunc<T>,
  options: MutateOptions = {},
): Promise<CreateOrUpdateResult<T>> {
  const api = apiOf(client);
  const current = await readOrUndefined(api, object, options);
  if (current === undefined) {
    const draft = structuredClone(object);
    await mutateChecked(draft, object, mutate);
    return { result: 'created', object: await api.create(draft, signalOf(options)) };
  }
  const draft = structuredClone(current);
  await mutateChecked(draft, current, mutate);
  const { status: beforeStatus, ...before } = current as T & { status?: unknown };
  const { status: afterStatus, ...after } = draft as T & { status?: unknown };
  const mainPatch = mergePatch(before, after);
  const statusPatch = mergePatch({ status: beforeStatus }, { status: afterStatus });
  if (mainPatch === undefined && statusPatch === undefined) return { result: 'unchanged', object: current };
  const name = current.metadata.name ?? '';
  const target = {
    ...(current.metadata.namespace !== undefined && { namespace: current.metadata.namespace }),
    ...signalOf(options),
  };
  let stored = current;
  if (mainPatch !== undefined) {
    stored = await api.patch(name, { type: 'merge', patch: mainPatch as never }, target);
  }
  if (statusPatch !== undefined) {
    stored = await api.patch(
      name,
      { type: 'merge', patch: statusPatch as never },
      { ...target, subresource: 'status' },
    );
  }
  return { result: 'updated', object: stored };
}

/**
 * The JSON merge patch (RFC 7386) turning `before` into `after`, or `undefined` when they are
 * equal. Arrays are replaced whole; removed keys become `null`.
 */
export function mergePatch(before: unknown, after: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(before) || !isPlainObject(after)) {
    throw new TypeError('mergePatch: both arguments must be plain objects');
  }
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(after, key) || after[key] === undefined) {
      if (before[key] !== undefined) patch[key] = null;
    }
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (isDeepStrictEqual(old, value)) continue;
    if (isPlainObject(old) && isPlainObject(value)) {
      const nested = mergePatch(old, value);
      if (nested !== undefined) patch[key] = nested;
    } else {
      patch[key] = value;
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readOrUndefined<T extends KubeObject>(
  api: ResourceClient<T>,
  object: T,
  options: MutateOptions,
): Promise<T | undefined> {
  const { name, namespace } = object.metadata;
  if (name === undefined || name === '') {
    throw new MutateError(
      'createOrUpdate/createOrPatch need metadata.name on the object (generateName is not supported)',
    );
  }
  try {
    return await api.get(name, { ...(namespace !== undefined && { namespace }), ...signalOf(options) });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function mutateChecked<T extends KubeObject>(
  draft: T,
  reference: T,
  mutate: MutateFunc<T>,
): Promise<void> {
  await mutate(draft);
  const { name, namespace } = reference.metadata;
  if (draft.metadata.name !== name || draft.metadata.namespace !== namespace) {
    throw new MutateError(
      `the mutate function changed the object's identity (${namespace ?? ''}/${name ?? ''} -> ` +
        `${draft.metadata.namespace ?? ''}/${draft.metadata.name ?? ''}); it may change anything but metadata.name and metadata.namespace`,
    );
  }
}

function signalOf(options: MutateOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
