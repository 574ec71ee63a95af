import type { int32, ObjectMeta } from '@kubeforge/runtime/api';

interface Tree {
  name: string;
  children: Tree[];
}

interface Growing<T> {
  value: T;
  next?: Growing<T[]>;
}

type Shape = { kind: 'circle'; radius: number } | { radius: number; sides: int32 };

/**
 * Everything that has no sound schema.
 * @resource
 * @scope Regional
 * @shortName Bad_Name
 * @printColumn name=Size type=float jsonPath=.spec.size
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.count
 */
export interface Widget {
  metadata: ObjectMeta;
  spec: WidgetSpec;
  status?: { count?: string };
}

export interface WidgetSpec {
  createdAt: Date;
  callback: () => void;
  anything: any;
  payload: unknown;
  pair: [string, int32];
  tree: Tree;
  mixed: string | boolean;
  loose: number | string;
  shape: Shape;
  big: bigint;
  lookup: Map<string, string>;
  /** @minimum 3 */
  label: string;
  /** @maxLength many */
  title: string;
  /** @pattern (?=lookahead) */
  code: string;
  /** @listType map */
  items: { name: string }[];
  /**
   * @listType map
   * @listMapKey id
   */
  entries: { id?: string; value: string }[];
  /** @uniqueItems */
  objects: { a: string }[];
  /** @default "three" */
  count: int32;
  /** @minimun 1 */
  typo: int32;
  /**
   * @maximum 1
   * @maximum 2
   */
  twice: int32;
  /** @mapType atomic */
  struct: { a: string };
  replicas: int32;
  kindOf: 'a' | 1;
  missing: NotDefined;
  /** @validation rule="self >" message="not CEL" */
  celRule: int32;
  growing: Growing<string>;
  /** @default {"min": 5} */
  range?: { min: int32; max: int32 };
  /** @default {"min": 0, "max": 70000} */
  ports?: {
    /** @minimum 1 */
    min: int32;
    /** @maximum 65535 */
    max: int32;
  };
  /** Two bases disagree on a marker and the interface sets none. */
  combined: Combined;
  /** Intersection members disagree on a field marker. */
  both: Sized & {
    /** @maxLength 20 */
    name: string;
  };
}

/** @structType atomic */
interface Sized {
  /** @maxLength 63 */
  name: string;
}

/** @structType granular */
interface Loose {
  /** @minimum 0 */
  replicas?: int32;
}

interface Combined extends Sized, Loose {}
