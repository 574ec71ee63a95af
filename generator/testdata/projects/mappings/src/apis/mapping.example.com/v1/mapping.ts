import type { ObjectMeta, int, int32, int64, LabelSelectorRequirement, OwnerReference } from '@kubeforge/runtime/api';
import type { Axis, Labelled, NonEmptyNames, Pair, Point } from './shapes.ts';

export interface MappingSpec {
  /** Inherited properties come along. */
  shape: Labelled;
  names: NonEmptyNames;
  counts: ReadonlyArray<int32>;
  /** A nested generic: `Pair<Pair<int32, string>, int64>`. */
  nested: Pair<Pair<int32, string>, int64>;
  /** Keys from a literal union become fixed properties. */
  perAxis: Record<Axis, Point>;
  enabled: true;
  offset?: -1 | 0 | 1;
  /** Present but may be undefined: not required. */
  maybe: string | undefined;
  matrix?: number[][];
  owners?: OwnerReference[];
  /** A template literal type is a string with a pattern. */
  version?: `v${number}`;
  /** Literal unions and strings inside a template. */
  image?: `${'docker.io' | 'ghcr.io'}/${string}:${string}`;
  /** A nullable object. */
  origin?: Point | null;
  /** Objects of an intersection of two interfaces. */
  tagged?: (Point & Labelled)[];
  /** Known fields plus any others: the others are kept, not pruned. */
  extensible?: { name: string; [key: string]: unknown };
  /** An integer without a format (Go's `int`). */
  count?: int;
  /** A list of `int`. */
  sizes?: int[];
  /** One requirement of a label selector, on its own. */
  requirement?: LabelSelectorRequirement;
  /** A discriminated union whose member is an intersection. */
  marker?: (Point & { kind: 'point' }) | { kind: 'none' };
}

/**
 * Type mappings beyond the backup-operator fixture.
 * @resource
 * @scope Cluster
 */
export interface Mapping {
  metadata: ObjectMeta;
  spec: MappingSpec;
}
