/**
 * What part of a kind a cache holds: a set of namespaces (or every namespace), a label
 * selector and a field selector. A scope over several namespaces is served by one informer per
 * namespace (controller-runtime's multi-namespace cache); {@link informerScopes} names them.
 *
 * Scopes are validated and put in canonical form once (`normalizeScope`), so a bad namespace
 * list or selector fails where it is declared, with the place named, not at the first read.
 */
import { apiVersionOf, type ResourceDescriptor } from '../api/index.ts';
import { toSelector } from './label-selector-parser.ts';
import type { Selector } from './label-selector.ts';
import type { InformerScope } from './types.ts';

/** A scope as users write it (manager options, `.owns(x, { scope })`). */
export interface ResourceScope {
  /** Cache these namespaces only (namespaced kinds). Omitted: every namespace. */
  readonly namespaces?: readonly string[];
  /** Shorthand for `namespaces: [namespace]`; give one or the other. */
  readonly namespace?: string;
  /** Only objects with matching labels are listed, watched and readable. */
  readonly labelSelector?: string | Selector;
  /** Only objects with matching fields (`metadata.name=x`, `status.phase!=Running`). */
  readonly fieldSelector?: string;
}

/** A validated scope in canonical form: sorted distinct namespaces, canonical selector text. */
export interface NormalizedScope {
  /** `undefined`: every namespace (and the only value for cluster-scoped kinds). */
  readonly namespaces: readonly string[] | undefined;
  /** Canonical label selector; `''` for none. */
  readonly labelSelector: string;
  /** `''` for none. */
  readonly fieldSelector: string;
}

/** A scope that cannot be used; `where` names the declaration (e.g. `manager cache options`). */
export class ScopeError extends Error {
  readonly reason = 'InvalidScope';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScopeError';
  }
}

const kindName = (resource: ResourceDescriptor): string => `${resource.plural}.${apiVersionOf(resource)}`;

/**
 * Validates `scope` for `resource` and puts it in canonical form. `where` names the
 * declaration in errors. Throws {@link ScopeError} for namespaces on a cluster-scoped kind,
 * an empty namespace list, an empty namespace name, both `namespace` and `namespaces`, or a
 * malformed label selector.
 */
export function normalizeScope(
  resource: ResourceDescriptor,
  scope: ResourceScope,
  where: string,
): NormalizedScope {
  const fail = (problem: string, options?: ErrorOptions): never => {
    throw new ScopeError(`${where}: scope of ${kindName(resource)}: ${problem}`, options);
  };
  if (scope.namespace !== undefined && scope.namespaces !== undefined) {
    fail('give either namespace or namespaces, not both (namespaces: ["a", "b"] covers several)');
  }
  const given = scope.namespaces ?? (scope.namespace === undefined ? undefined : [scope.namespace]);
  let namespaces: readonly string[] | undefined;
  if (given !== undefined) {
    if (!resource.namespaced) {
      fail(
        `${resource.kind} is cluster-scoped and has no namespaces; remove namespaces ${JSON.stringify(given)} from this scope`,
      );
    }
    if (given.length === 0) {
      fail(
        'namespaces is empty, which would cache nothing; list at least one, or omit it for every namespace',
      );
    }
    for (const ns of given) {
      if (typeof ns !== 'string' || ns === '') {
        fail(`namespaces holds ${JSON.stringify(ns)}; every entry must be a namespace name`);
      }
    }
    namespaces = [...new Set(given)].sort();
  }
  let labelSelector = '';
  try {
    const selector = toSelector(scope.labelSelector);
    if (selector.matchesNothing) fail('the match-nothing label selector caches nothing; omit the source');
    labelSelector = selector.toString();
  } catch (error) {
    if (error instanceof ScopeError) throw error;
    fail(`labelSelector: ${(error as Error).message}`, { cause: error });
  }
  return { namespaces, labelSelector, fieldSelector: scope.fieldSelector ?? '' };
}

/**
 * Combines a declared scope with the defaults it leaves open: each field of `scope` that is
 * set wins, the others come from `defaults` (namespaces only for namespaced kinds).
 */
export function withDefaults(
  resource: ResourceDescriptor,
  scope: ResourceScope | undefined,
  defaults: ResourceScope,
): ResourceScope {
  const own = scope ?? {};
  const ownNamespaces = own.namespaces !== undefined || own.namespace !== undefined;
  const defaultNamespaces =
    defaults.namespaces ?? (defaults.namespace === undefined ? undefined : [defaults.namespace]);
  const namespaces = ownNamespaces
    ? (own.namespaces ?? (own.namespace === undefined ? undefined : [own.namespace]))
    : resource.namespaced
      ? defaultNamespaces
      : undefined;
  const labelSelector = own.labelSelector ?? defaults.labelSelector;
  const fieldSelector = own.fieldSelector ?? defaults.fieldSelector;
  return {
    ...(namespaces !== undefined && { namespaces }),
    ...(labelSelector !== undefined && { labelSelector }),
    ...(fieldSelector !== undefined && { fieldSelector }),
  };
}

/** The informers that serve a scope: one per namespace, or one over every namespace. */
export function informerScopes(scope: NormalizedScope): readonly InformerScope[] {
  const selectors: InformerScope = {
    ...(scope.labelSelector !== '' && { labelSelector: scope.labelSelector }),
    ...(scope.fieldSelector !== '' && { fieldSelector: scope.fieldSelector }),
  };
  if (scope.namespaces === undefined) return [selectors];
  return scope.namespaces.map((namespace) => ({ ...selectors, namespace }));
}

/** Whether a read in `namespace` (`undefined`: across namespaces) falls inside the scope. */
export function coversNamespace(scope: NormalizedScope, namespace: string | undefined): boolean {
  if (scope.namespaces === undefined) return true;
  return namespace !== undefined && scope.namespaces.includes(namespace);
}

/** `namespaces "a", "b", labels app=web` — for error messages and logs. */
export function describeScope(scope: NormalizedScope): string {
  const parts = [
    scope.namespaces === undefined
      ? 'every namespace'
      : `namespace${scope.namespaces.length === 1 ? '' : 's'} ${scope.namespaces.map((n) => JSON.stringify(n)).join(', ')}`,
  ];
  if (scope.labelSelector !== '') parts.push(`labels ${scope.labelSelector}`);
  if (scope.fieldSelector !== '') parts.push(`fields ${scope.fieldSelector}`);
  return parts.join(', ');
}

/** Whether two normalized scopes are the same. */
export function sameScope(a: NormalizedScope, b: NormalizedScope): boolean {
  return (
    a.labelSelector === b.labelSelector &&
    a.fieldSelector === b.fieldSelector &&
    JSON.stringify(a.namespaces) === JSON.stringify(b.namespaces)
  );
}
