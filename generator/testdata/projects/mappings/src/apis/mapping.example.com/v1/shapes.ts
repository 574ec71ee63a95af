/** Fields every shape has. */
export interface Base {
  /** A display name. */
  name: string;
}

/** A shape extends the base interface. */
export interface Labelled extends Base {
  labels?: Record<string, string>;
}

/**
 * Non-empty list of names.
 * @minItems 1
 */
export type NonEmptyNames = readonly string[];

/** A generic pair of values. */
export interface Pair<A, B> {
  first: A;
  second: B;
}

export type Axis = 'x' | 'y' | 'z';

export interface Point {
  x: number;
  y: number;
}
