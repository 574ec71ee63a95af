/**
 * Indexes declared on the manager (`manager.indexField`, controller-runtime's `IndexField`),
 * per kind. The cached clients add them to a kind's informers before reading it, and the
 * manager adds a new one to the kind's informers that exist already, so `matchingFields`
 * queries find them whichever came first.
 */
import { apiVersionOf, type KubeObject, type ResourceDescriptor } from '../api/index.ts';
import { NAMESPACE_INDEX, type IndexFunc, type Indexers } from '../cache/types.ts';
import { ManagerError } from './types.ts';

export type FieldIndexFunc<T> = (obj: T) => string | readonly string[] | undefined;

interface Declared {
  readonly source: FieldIndexFunc<KubeObject>;
  readonly index: IndexFunc<KubeObject>;
}

const kindKey = (resource: ResourceDescriptor): string => `${resource.plural}.${apiVersionOf(resource)}`;

export class FieldIndexes {
  readonly #byKind = new Map<string, Map<string, Declared>>();

  /** Declares `name` on `resource`; returns the index function to add to existing informers. */
  declare(resource: ResourceDescriptor, name: string, fn: FieldIndexFunc<KubeObject>): Indexers<KubeObject> {
    const where = `manager.indexField(${resource.kind}, ${JSON.stringify(name)})`;
    if (typeof name !== 'string' || name === '') {
      throw new ManagerError('InvalidOptions', `${where}: the index needs a name, e.g. "spec.nodeName"`);
    }
    if (name === NAMESPACE_INDEX) {
      throw new ManagerError(
        'InvalidOptions',
        `${where}: "${NAMESPACE_INDEX}" is the built-in namespace index; pick another name (reads by namespace use { namespace })`,
      );
    }
    if (typeof fn !== 'function') {
      throw new ManagerError(
        'InvalidOptions',
        `${where}: expected a function (obj) => string | string[] | undefined`,
      );
    }
    let indexes = this.#byKind.get(kindKey(resource));
    if (indexes === undefined) this.#byKind.set(kindKey(resource), (indexes = new Map<string, Declared>()));
    const existing = indexes.get(name);
    if (existing !== undefined) {
      if (existing.source === fn) return { [name]: existing.index };
      throw new ManagerError(
        'InvalidOptions',
        `${where}: ${kindKey(resource)} already has an index named ${JSON.stringify(name)} with another function; give this one another name`,
      );
    }
    const index: IndexFunc<KubeObject> = (obj) => {
      const value = fn(obj);
      if (value === undefined) return [];
      return typeof value === 'string' ? [value] : value;
    };
    indexes.set(name, { source: fn, index });
    return { [name]: index };
  }

  /** Every index declared on `resource`, or `undefined`. */
  of(resource: ResourceDescriptor): Indexers<KubeObject> | undefined {
    const indexes = this.#byKind.get(kindKey(resource));
    if (indexes === undefined) return undefined;
    return Object.fromEntries([...indexes].map(([name, d]) => [name, d.index]));
  }
}
