/**
 * Scalar types of the Kubernetes API. They are plain TypeScript types at runtime; the
 * generator recognises them by name and maps them to the matching OpenAPI schema
 * (e.g. `int32` -> `{type: integer, format: int32}`), so use them in API types.
 */

/**
 * An integer without a declared size (`type: integer`, no format), like Go's `int` in a
 * kubebuilder type. Prefer `int32` or `int64` for new APIs (Kubernetes API conventions).
 */
export type int = number;
/** A 32-bit integer (`type: integer, format: int32`). */
export type int32 = number;
/** A 64-bit integer (`type: integer, format: int64`). Values beyond 2^53 lose precision in JavaScript. */
export type int64 = number;
/** An integer or a string such as `"25%"` (`x-kubernetes-int-or-string`). */
export type IntOrString = number | string;
/** A resource quantity such as `"500m"` or `"1Gi"`. */
export type Quantity = string;
/** An RFC 3339 timestamp with second precision, e.g. `"2024-01-02T15:04:05Z"` (`format: date-time`). */
export type Time = string;
/** An RFC 3339 timestamp with microsecond precision (`format: date-time`). */
export type MicroTime = string;
/**
 * A Go duration string such as `"1h30m"` or `"10s"` (metav1.Duration): `type: string`, as
 * upstream and controller-gen write it. The API server does not check the syntax; for
 * positive durations only, add `@pattern ^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`.
 */
export type Duration = string;
