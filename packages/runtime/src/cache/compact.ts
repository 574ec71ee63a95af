/**
 * How an informer keeps its cache small without changing what the objects mean:
 *
 * - `metadata.managedFields` is dropped unless the informer keeps it. It is server-side apply
 *   bookkeeping, often the largest part of a small object, and an update that omits it leaves
 *   the server's copy untouched (what controller-runtime's TransformStripManagedFields relies
 *   on too).
 * - Strings that repeat across a collection by nature (apiVersion, kind, namespace, label keys
 *   and values, annotation keys, finalizers, owner references' apiVersion and kind) are shared:
 *   JSON.parse gives every object its own copy of each.
 *
 * The input is never mutated: the result is a new top-level object and a new `metadata`;
 * `spec`, `status` and every other field are shared with the input.
 */
import type { KubeObject, ObjectMeta, OwnerReference } from '../api/index.ts';

/**
 * Shares one copy of equal strings. Bounded: strings longer than `maxLength` pass through,
 * and when `maxEntries` distinct strings are held the table starts over, so unique values
 * (which intern to nothing) cannot grow it without limit.
 */
export class StringInterner {
  readonly #table = new Map<string, string>();
  readonly #maxEntries: number;
  readonly #maxLength: number;

  constructor(maxEntries = 8192, maxLength = 256) {
    this.#maxEntries = maxEntries;
    this.#maxLength = maxLength;
  }

  get size(): number {
    return this.#table.size;
  }

  intern(value: string): string {
    if (value.length > this.#maxLength) return value;
    const shared = this.#table.get(value);
    if (shared !== undefined) return shared;
    if (this.#table.size >= this.#maxEntries) this.#table.clear();
    this.#table.set(value, value);
    return value;
  }
}

/** One interner for the process: namespaces, kinds and labels repeat across informers too. */
export const sharedInterner = new StringInterner();

export interface CompactOptions {
  /** Keep `metadata.managedFields`; default false. */
  readonly keepManagedFields?: boolean;
  readonly interner?: StringInterner;
}

/** A compacted copy of `obj` (see the module comment). */
export function compactObject<T extends KubeObject>(obj: T, options: CompactOptions = {}): T {
  const interner = options.interner ?? sharedInterner;
  const intern = (s: string): string => interner.intern(s);
  const source = obj.metadata as ObjectMeta | undefined;
  if (source === undefined) return obj;
  const metadata: Record<string, unknown> = {};
  // for-in rather than Object.keys: objects of one shape share V8's enum cache, so no array of
  // keys is allocated per object (a list decodes thousands).
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const field = key as keyof ObjectMeta;
    const value = source[field];
    switch (field) {
      case 'managedFields':
        if (options.keepManagedFields === true) metadata[field] = value;
        break;
      case 'namespace':
      case 'generateName':
        metadata[field] = typeof value === 'string' ? intern(value) : value;
        break;
      case 'labels':
        metadata[field] = internRecord(source.labels, intern, true);
        break;
      case 'annotations':
        metadata[field] = internRecord(source.annotations, intern, false);
        break;
      case 'finalizers':
        metadata[field] = source.finalizers?.map(intern);
        break;
      case 'ownerReferences':
        metadata[field] = source.ownerReferences?.map((ref) => internOwner(ref, intern));
        break;
      default:
        metadata[field] = value;
    }
  }
  const result: Record<string, unknown> = {};
  for (const field in obj) {
    if (!Object.hasOwn(obj, field)) continue;
    const value = (obj as Record<string, unknown>)[field];
    if (field === 'metadata') result[field] = metadata;
    else if ((field === 'apiVersion' || field === 'kind') && typeof value === 'string')
      result[field] = intern(value);
    else result[field] = value;
  }
  return result as T;
}

function internRecord(
  record: Readonly<Record<string, string>> | null | undefined,
  intern: (s: string) => string,
  values: boolean,
): Record<string, string> | null | undefined {
  if (record === undefined || record === null) return record;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    const shared = values && typeof value === 'string' ? intern(value) : value;
    // Keys come from the server; `__proto__` must stay a plain property, never a prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, {
        value: shared,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[intern(key)] = shared;
  }
  return out;
}

function internOwner(ref: OwnerReference, intern: (s: string) => string): OwnerReference {
  return { ...ref, apiVersion: intern(ref.apiVersion), kind: intern(ref.kind) };
}
