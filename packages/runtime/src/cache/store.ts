/**
 * The in-memory store behind every informer: objects keyed by `objectKey`, secondary indexes,
 * and the two writes the reflector performs — apply one watch change, or replace everything
 * with a fresh list — each returning the changes handlers must be told about.
 *
 * Invariants: every key in an index is a key of `#items`; an object sits under exactly the
 * values its index functions returned when it was stored. Writes are synchronous, so readers
 * never observe a half-applied relist.
 */
import { objectKey, type KubeObject } from '../api/index.ts';
import { NAMESPACE_INDEX, type IndexFunc, type Indexer, type Indexers } from './types.ts';

/**
 * A change to tell handlers about. `initial`: the add comes from the first list.
 * `finalStateUnknown`: the delete was inferred (relist, or a UID change), so `object` is the
 * last state the store held.
 */
export type StoreChange<T> =
  | { readonly type: 'add'; readonly object: T; readonly initial: boolean }
  | { readonly type: 'update'; readonly oldObject: T; readonly object: T }
  | { readonly type: 'delete'; readonly object: T; readonly finalStateUnknown: boolean };

export type IndexErrorCallback<T> = (indexName: string, obj: T, error: unknown) => void;

/** The namespace index function: cluster-scoped objects are indexed under `''`. */
export function indexByNamespace(obj: KubeObject): readonly string[] {
  return [obj.metadata.namespace ?? ''];
}

function sameIdentity(a: KubeObject, b: KubeObject): boolean {
  const ua = a.metadata.uid;
  const ub = b.metadata.uid;
  return ua === undefined || ub === undefined || ua === ub;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata.resourceVersion;
  return ra !== undefined && ra === b.metadata.resourceVersion;
}

/** An {@link Indexer} plus the writes only the owning informer performs. */
export class CacheStore<T extends KubeObject> implements Indexer<T> {
  #items = new Map<string, T>();
  readonly #indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name -> indexed value -> keys */
  #indices = new Map<string, Map<string, Set<string>>>();

  readonly #onIndexError: IndexErrorCallback<T>;

  /**
   * An index function that throws leaves that object out of that index; `onIndexError` is told
   * (the informer logs and counts it) and the store stays consistent.
   */
  constructor(indexers: Indexers<T> = {}, onIndexError: IndexErrorCallback<T> = () => undefined) {
    this.#onIndexError = onIndexError;
    this.addIndexers({ [NAMESPACE_INDEX]: indexByNamespace, ...indexers });
  }

  #values(name: string, fn: IndexFunc<T>, obj: T): readonly string[] {
    try {
      return fn(obj);
    } catch (error) {
      this.#onIndexError(name, obj, error);
      return [];
    }
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  list(): readonly T[] {
    return [...this.#items.values()];
  }

  keys(): readonly string[] {
    return [...this.#items.keys()];
  }

  byIndex(indexName: string, value: string): readonly T[] {
    const result: T[] = [];
    for (const key of this.#indexOf(indexName).get(value) ?? []) {
      const obj = this.#items.get(key);
      if (obj !== undefined) result.push(obj);
    }
    return result;
  }

  indexKeys(indexName: string, value: string): readonly string[] {
    return [...(this.#indexOf(indexName).get(value) ?? [])];
  }

  indexValues(indexName: string): readonly string[] {
    return [...this.#indexOf(indexName).keys()];
  }

  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      const existing = this.#indexFuncs.get(name);
      if (existing === fn) continue;
      if (existing !== undefined) {
        throw new Error(
          `index ${JSON.stringify(name)} already exists with a different function; choose another name`,
        );
      }
      this.#indexFuncs.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of this.#items) addToIndex(index, this.#values(name, fn, obj), key);
    }
  }

  #indexOf(indexName: string): Map<string, Set<string>> {
    const index = this.#indices.get(indexName);
    if (index === undefined) {
      const known = [...this.#indices.keys()].join(', ');
      throw new Error(
        `no index named ${JSON.stringify(indexName)}; known indexes: ${known}. Add it with addIndexers()`,
      );
    }
    return index;
  }

  #put(key: string, obj: T, old: T | undefined): void {
    this.#items.set(key, obj);
    for (const [name, fn] of this.#indexFuncs) {
      const index = this.#indices.get(name);
      if (index === undefined) continue;
      if (old !== undefined) removeFromIndex(index, this.#values(name, fn, old), key);
      addToIndex(index, this.#values(name, fn, obj), key);
    }
  }

  #remove(key: string, old: T): void {
    this.#items.delete(key);
    for (const [name, fn] of this.#indexFuncs) {
      const index = this.#indices.get(name);
      if (index !== undefined) removeFromIndex(index, this.#values(name, fn, old), key);
    }
  }

  /**
   * Applies one watch change. An add or update of a key held by an object with another UID is
   * a delete of the old object followed by an add; an update carrying the stored
   * resourceVersion is a duplicate and changes nothing; a delete of an unknown key, or of a
   * key now held by another UID, is stale and changes nothing.
   */
  apply(type: 'added' | 'modified' | 'deleted', obj: T): StoreChange<T>[] {
    const key = objectKey(obj);
    const old = this.#items.get(key);
    if (type === 'deleted') {
      if (old === undefined || !sameIdentity(old, obj)) return [];
      this.#remove(key, old);
      return [{ type: 'delete', object: obj, finalStateUnknown: false }];
    }
    if (old === undefined) {
      this.#put(key, obj, undefined);
      return [{ type: 'add', object: obj, initial: false }];
    }
    if (!sameIdentity(old, obj)) {
      this.#put(key, obj, old);
      return [
        { type: 'delete', object: old, finalStateUnknown: true },
        { type: 'add', object: obj, initial: false },
      ];
    }
    if (sameVersion(old, obj)) return [];
    this.#put(key, obj, old);
    return [{ type: 'update', oldObject: old, object: obj }];
  }

  /**
   * Replaces the whole content with a fresh list, atomically. Returns deletes (last known
   * state, `finalStateUnknown`) for objects absent from the list, then adds for new objects,
   * updates for changed resourceVersions, and delete+add for UID changes. Unchanged objects
   * keep their identity and produce nothing.
   */
  replace(objects: readonly T[], initial: boolean): StoreChange<T>[] {
    const next = new Map<string, T>();
    for (const obj of objects) next.set(objectKey(obj), obj);
    const deletes: StoreChange<T>[] = [];
    const changes: StoreChange<T>[] = [];
    for (const [key, old] of this.#items) {
      if (!next.has(key)) deletes.push({ type: 'delete', object: old, finalStateUnknown: true });
    }
    for (const [key, obj] of next) {
      const old = this.#items.get(key);
      if (old === undefined) changes.push({ type: 'add', object: obj, initial });
      else if (!sameIdentity(old, obj)) {
        deletes.push({ type: 'delete', object: old, finalStateUnknown: true });
        changes.push({ type: 'add', object: obj, initial });
      } else if (sameVersion(old, obj)) next.set(key, old);
      else changes.push({ type: 'update', oldObject: old, object: obj });
    }
    this.#items = next;
    this.#indices = new Map();
    for (const [name, fn] of this.#indexFuncs) {
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of next) addToIndex(index, this.#values(name, fn, obj), key);
    }
    return [...deletes, ...changes];
  }
}

function addToIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}

function removeFromIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    const keys = index.get(value);
    if (keys === undefined) continue;
    keys.delete(key);
    if (keys.size === 0) index.delete(value);
  }
}
