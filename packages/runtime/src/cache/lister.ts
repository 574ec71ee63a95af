/**
 * Listers: typed reads from an informer's cache, never from the API server. Results are the
 * cache's shared objects (read-only; see types.ts).
 */
import type { KubeObject } from '../api/index.ts';
import { toSelector } from './label-selector-parser.ts';
import type { Selector } from './label-selector.ts';
import { NAMESPACE_INDEX, type Indexer, type Lister, type NamespaceLister } from './types.ts';

/** Parsed selector strings, so hot paths (`list('app=web')` per reconcile) parse once. */
const parsed = new Map<string, Selector>();
const PARSED_MAX = 256;

function selectorOf(input: string | Selector): Selector {
  if (typeof input !== 'string') return input;
  let selector = parsed.get(input);
  if (selector === undefined) {
    selector = toSelector(input);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(input, selector);
  }
  return selector;
}

function filter<T extends KubeObject>(
  objects: readonly T[],
  selector: string | Selector | undefined,
): readonly T[] {
  if (selector === undefined) return objects;
  const s = selectorOf(selector);
  if (s.isEmpty()) return objects;
  return objects.filter((o) => s.matches(o.metadata.labels));
}

export function createLister<T extends KubeObject>(indexer: Indexer<T>): Lister<T> {
  return {
    get(namespaceOrName: string, name?: string) {
      return indexer.get(name === undefined ? namespaceOrName : `${namespaceOrName}/${name}`);
    },
    list: (selector) => filter(indexer.list(), selector),
    byIndex: (indexName, value) => indexer.byIndex(indexName, value),
    namespace(namespace: string): NamespaceLister<T> {
      if (namespace === '')
        throw new Error('Lister.namespace: namespace must not be empty; use list() for all namespaces');
      return {
        get: (name) => indexer.get(`${namespace}/${name}`),
        list: (selector) => filter(indexer.byIndex(NAMESPACE_INDEX, namespace), selector),
      };
    },
  };
}
