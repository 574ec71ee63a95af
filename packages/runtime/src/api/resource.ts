/**
 * Where a kind lives in the API: group, version, kind, plural and scope. A descriptor may carry
 * the type of its objects (`ResourceDescriptor<Deployment>`): the functions that take one
 * (`createResourceClient`, `informerFor`, `.owns`, `client.resource`) infer their object type
 * from it. The type is a phantom: no property holds it at runtime.
 */
import type { KubeObject } from './object-meta.ts';

/** The key of the phantom property that carries a descriptor's object type; it never exists at runtime. */
export declare const objectType: unique symbol;

export interface ResourceDescriptor<T extends KubeObject = KubeObject> {
  /** API group; `''` for the core group (pods, configmaps, ...). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The lowercase plural used in URLs, e.g. `backupschedules`. */
  readonly plural: string;
  /** `true` for namespaced resources, `false` for cluster-scoped ones. */
  readonly namespaced: boolean;
  /**
   * Never set: it only ties the descriptor to `T`, so that `createResourceClient(kc, deployments)`
   * is a `ResourceClient<Deployment>`. A method's parameter is compared both ways, which keeps a
   * plain `ResourceDescriptor` usable with an explicit `T` and a typed one usable where a plain
   * one is expected, while descriptors of unrelated kinds (a `Deployment`'s for a `Pod`) do
   * not mix.
   */
  readonly [objectType]?: { of(object: T): void };
}

/** The object type a descriptor carries: `ObjectOf<typeof deployments>` is `Deployment`. */
export type ObjectOf<R> = R extends ResourceDescriptor<infer T> ? T : never;

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(resource: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name = '' } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key produced by {@link objectKey}. */
export function splitObjectKey(key: string): { readonly namespace?: string; readonly name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
