/**
 * The in-memory store behind every informer: objects keyed by `objectKey`, secondary indexes,
 * and the two writes the reflector performs — apply one watch change, or replace everything
 * with a fresh list — each returning the changes handlers must be told about.
 *
 * Invariants: every key in an index is a key of `#items`; an object sits under exactly the
 * values its index functions returned when it was stored. Writes are synchronous, so readers
 * never observe a half-applied relist.
 */
import { objectKey, splitObjectKey, type KubeObject } from '../api/index.ts';
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

const namespaceOf = (obj: KubeObject): string => obj.metadata.namespace ?? '';
const nameOf = (obj: KubeObject): string => obj.metadata.name ?? '';

/** Objects by namespace (`''` for cluster-scoped), then by name. */
type Items<T> = Map<string, Map<string, T>>;

function lookup<T>(items: Items<T>, namespace: string, name: string): T | undefined {
  return items.get(namespace)?.get(name);
}

function putItem<T>(items: Items<T>, namespace: string, name: string, obj: T): void {
  let names = items.get(namespace);
  if (names === undefined) items.set(namespace, (names = new Map<string, T>()));
  names.set(name, obj);
}

/**
 * Calls `visit` for every object. A callback rather than a generator of tuples: a relist of
 * many thousand objects would otherwise allocate a tuple (and an iterator result) per object.
 */
function eachItem<T>(items: Items<T>, visit: (obj: T, name: string, namespace: string) => void): void {
  items.forEach((names, namespace) => names.forEach((obj, name) => visit(obj, name, namespace)));
}

/**
 * An {@link Indexer} plus the writes only the owning informer performs.
 *
 * Objects are held by namespace, then name: that is the namespace index for free and needs
 * no `namespace/name` key string per object (keys are built when asked for). Other indexes
 * map values to keys.
 */
export class CacheStore<T extends KubeObject> implements Indexer<T> {
  #items: Items<T> = new Map();
  #size = 0;
  readonly #indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name -> indexed value -> keys, for every index but the namespace one */
  #indices = new Map<string, Map<string, Set<string>>>();

  readonly #onIndexError: IndexErrorCallback<T>;

  /**
   * An index function that throws leaves that object out of that index; `onIndexError` is told
   * (the informer logs and counts it) and the store stays consistent.
   */
  constructor(indexers: Indexers<T> = {}, onIndexError: IndexErrorCallback<T> = () => undefined) {
    this.#onIndexError = onIndexError;
    this.#indexFuncs.set(NAMESPACE_INDEX, indexByNamespace);
    this.addIndexers(indexers);
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
    return this.#size;
  }

  get(key: string): T | undefined {
    const { namespace = '', name } = splitObjectKey(key);
    return lookup(this.#items, namespace, name);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  list(): readonly T[] {
    const result: T[] = [];
    for (const names of this.#items.values()) for (const obj of names.values()) result.push(obj);
    return result;
  }

  keys(): readonly string[] {
    const result: string[] = [];
    eachItem(this.#items, (obj) => result.push(objectKey(obj)));
    return result;
  }

  byIndex(indexName: string, value: string): readonly T[] {
    if (indexName === NAMESPACE_INDEX) return [...(this.#items.get(value)?.values() ?? [])];
    const result: T[] = [];
    for (const key of this.#indexOf(indexName).get(value) ?? []) {
      const obj = this.get(key);
      if (obj !== undefined) result.push(obj);
    }
    return result;
  }

  indexKeys(indexName: string, value: string): readonly string[] {
    if (indexName === NAMESPACE_INDEX) return [...(this.#items.get(value)?.values() ?? [])].map(objectKey);
    return [...(this.#indexOf(indexName).get(value) ?? [])];
  }

  indexValues(indexName: string): readonly string[] {
    if (indexName === NAMESPACE_INDEX) return [...this.#items.keys()];
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
      eachItem(this.#items, (obj) => addToIndex(index, this.#values(name, fn, obj), objectKey(obj)));
    }
  }

  #indexOf(indexName: string): Map<string, Set<string>> {
    const index = this.#indices.get(indexName);
    if (index === undefined) {
      const known = [...this.#indexFuncs.keys()].join(', ');
      throw new Error(
        `no index named ${JSON.stringify(indexName)}; known indexes: ${known}. Add it with addIndexers()`,
      );
    }
    return index;
  }

  #put(obj: T, old: T | undefined): void {
    if (old === undefined) this.#size++;
    putItem(this.#items, namespaceOf(obj), nameOf(obj), obj);
    if (this.#indices.size === 0) return;
    const key = objectKey(obj);
    for (const [name, index] of this.#indices) {
      const fn = this.#indexFuncs.get(name);
      if (fn === undefined) continue;
      if (old !== undefined) removeFromIndex(index, this.#values(name, fn, old), key);
      addToIndex(index, this.#values(name, fn, obj), key);
    }
  }

  #remove(old: T): void {
    const namespace = namespaceOf(old);
    const names = this.#items.get(namespace);
    if (names?.delete(nameOf(old)) !== true) return;
    this.#size--;
    if (names.size === 0) this.#items.delete(namespace);
    if (this.#indices.size === 0) return;
    const key = objectKey(old);
    for (const [name, index] of this.#indices) {
      const fn = this.#indexFuncs.get(name);
      if (fn !== undefined) removeFromIndex(index, this.#values(name, fn, old), key);
    }
  }

  /**
   * Applies one watch change. An add or update of a key held by an object with another UID is
   * a delete of the old object followed by an add; an update carrying the stored
   * resourceVersion is a duplicate and changes nothing; a delete of an unknown key, or of a
   * key now held by another UID, is stale and changes nothing.
   */
  apply(type: 'added' | 'modified' | 'deleted', obj: T): StoreChange<T>[] {
    const old = lookup(this.#items, namespaceOf(obj), nameOf(obj));
    if (type === 'deleted') {
      if (old === undefined || !sameIdentity(old, obj)) return [];
      this.#remove(old);
      return [{ type: 'delete', object: obj, finalStateUnknown: false }];
    }
    if (old === undefined) {
      this.#put(obj, undefined);
      return [{ type: 'add', object: obj, initial: false }];
    }
    if (!sameIdentity(old, obj)) {
      this.#put(obj, old);
      return [
        { type: 'delete', object: old, finalStateUnknown: true },
        { type: 'add', object: obj, initial: false },
      ];
    }
    if (sameVersion(old, obj)) return [];
    this.#put(obj, old);
    return [{ type: 'update', oldObject: old, object: obj }];
  }

  /**
   * Replaces the whole content with a fresh list, atomically. Returns deletes (last known
   * state, `finalStateUnknown`) for objects absent from the list, then adds for new objects,
   * updates for changed resourceVersions, and delete+add for UID changes. Unchanged objects
   * keep their identity and produce nothing.
   */
  replace(objects: readonly T[], initial: boolean): StoreChange<T>[] {
    const next: Items<T> = new Map();
    let size = 0;
    for (const obj of objects) {
      const namespace = namespaceOf(obj);
      const name = nameOf(obj);
      if (lookup(next, namespace, name) === undefined) size++;
      putItem(next, namespace, name, obj);
    }
    const deletes: StoreChange<T>[] = [];
    const changes: StoreChange<T>[] = [];
    const previous = this.#items;
    if (previous.size === 0) {
      // The first list (or a relist of an empty store): every object is an add.
      eachItem(next, (obj) => changes.push({ type: 'add', object: obj, initial }));
    } else {
      eachItem(previous, (old, name, namespace) => {
        if (lookup(next, namespace, name) === undefined)
          deletes.push({ type: 'delete', object: old, finalStateUnknown: true });
      });
      eachItem(next, (obj, name, namespace) => {
        const old = lookup(previous, namespace, name);
        if (old === undefined) changes.push({ type: 'add', object: obj, initial });
        else if (!sameIdentity(old, obj)) {
          deletes.push({ type: 'delete', object: old, finalStateUnknown: true });
          changes.push({ type: 'add', object: obj, initial });
        } else if (sameVersion(old, obj)) putItem(next, namespace, name, old);
        else changes.push({ type: 'update', oldObject: old, object: obj });
      });
    }
    this.#items = next;
    this.#size = size;
    this.#indices = new Map();
    for (const [name, fn] of this.#indexFuncs) {
      if (name === NAMESPACE_INDEX) continue;
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      eachItem(next, (obj) => addToIndex(index, this.#values(name, fn, obj), objectKey(obj)));
    }
    return deletes.length === 0 ? changes : [...deletes, ...changes];
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
