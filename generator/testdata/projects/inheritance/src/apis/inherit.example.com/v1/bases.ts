import type { int32 } from '@kubeforge/runtime/api';

/**
 * Markers on a base interface apply to every interface that extends it, as Go's inline
 * embedding carries them.
 * @structType atomic
 * @minProperties 1
 * @validation rule="!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas" message="minReplicas must not exceed maxReplicas"
 */
export interface Scaling {
  /** @minimum 0 */
  minReplicas?: int32;
  /** @maximum 100 */
  maxReplicas?: int32;
}

/**
 * @maxProperties 4
 * @validation rule="self.name != 'forbidden'"
 */
export interface Named {
  /**
   * @minLength 1
   * @maxLength 63
   */
  name: string;
}

/**
 * A generic base: field markers apply to every instantiation.
 * @validation rule="size(self.items) <= 10"
 */
export interface ListOf<T> {
  /**
   * @listType map
   * @listMapKey name
   * @minItems 1
   */
  items: T[];
}

/**
 * Two levels of bases.
 * @validation rule="self.level >= 0"
 */
export interface Levelled extends Named {
  level: int32;
}

/** @mapType atomic */
export type Labels = Record<string, string>;

export interface Entry {
  name: string;
  /** @default 1 */
  weight?: int32;
}

/**
 * An object type alias used as a base.
 * @minProperties 1
 */
export type Noted = { note?: string };

/**
 * Every other marker that applies to an object, on a base.
 * @preserveUnknownFields
 * @nullable
 * @default {"mode": "auto"}
 * @maxDescriptionLength 12
 */
export interface Tolerant {
  /** The mode, described at some length. */
  mode?: string;
}

/**
 * A base of a map type.
 * @mapType atomic
 * @maxProperties 3
 */
export interface Tags {
  [key: string]: string;
}
