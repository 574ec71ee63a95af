import type { Condition, LabelSelector, ObjectMeta } from '@kubeforge/runtime/api';
import type { Entry, Levelled, ListOf, Named, Noted, Scaling, Tags, Tolerant } from './bases.ts';

/** Extends one base: its markers and its fields' markers come along. */
export interface AutoscalerSpec extends Scaling {
  target: string;
}

/** Extends a base that extends another: the markers of both come along, the farthest base's first. */
export interface TieredSpec extends Levelled {
  tier?: string;
}

/**
 * The derived interface's own marker wins over the base's.
 * @structType granular
 * @minProperties 2
 */
export interface OverridingSpec extends Scaling {
  mode: string;
}

/** Several bases at once. */
export interface ComboSpec extends Scaling, Named {}

export interface EntriesSpec extends ListOf<Entry> {}

/** Redeclares a base's field: the base's field markers still apply, and its own add to them. */
export interface RenamedSpec extends Named {
  /**
   * A lowercase name.
   * @pattern ^[a-z]+$
   * @maxLength 20
   */
  name: string;
}

/** Extends a base with object markers beyond the common ones. */
export interface TolerantSpec extends Tolerant {
  /** Another field, also described at some length. */
  other?: string;
}

/** A condition with one more field: upstream's validation of Condition's fields stays. */
export interface StampedCondition extends Condition {
  /** @minLength 1 */
  stamp: string;
}

/** A label selector with a note: atomic, as upstream's LabelSelector. */
export interface NotedSelector extends LabelSelector {
  note?: string;
}

/** Extends a map-typed base. */
export interface TagsSpec extends Tags {}

/** Extends an object type alias: the alias's markers come along. */
export interface NotedSpec extends Noted {
  other?: string;
}

export interface WidgetSpec {
  autoscaler: AutoscalerSpec;
  tiered: TieredSpec;
  overriding: OverridingSpec;
  combo: ComboSpec;
  /** An intersection carries the markers of both sides. */
  intersected: Scaling & Named;
  /** An intersection with an anonymous object. */
  extended: Named & { replicas?: number };
  entries: EntriesSpec;
  /** A generic base instantiated inline. */
  inline: ListOf<Entry>;
  renamed: RenamedSpec;
  noted: NotedSpec;
  tolerant?: TolerantSpec | null;
  tags: TagsSpec;
  conditions?: StampedCondition[];
  selector?: NotedSelector;
  /** Members of an intersection declaring the same field: both declarations' markers apply. */
  overlapping: Named & {
    /** @pattern ^[a-z]+$ */
    name: string;
  };
}

/**
 * A resource extending a base: the base's rules apply to the whole object.
 * @resource
 */
export interface Widget extends WidgetBase {
  metadata: ObjectMeta;
  spec: WidgetSpec;
}

/** @validation rule="self.metadata.name.size() <= 40" message="names are at most 40 characters" */
export interface WidgetBase {
  metadata: ObjectMeta;
}
