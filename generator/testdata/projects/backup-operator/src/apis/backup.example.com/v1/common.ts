import type { Duration, int32, IntOrString } from '@kubeforge/runtime/api';

/**
 * A TCP port.
 * @minimum 1
 * @maximum 65535
 */
export type Port = int32;

/**
 * A DNS-1123 label.
 * @minLength 1
 * @maxLength 63
 * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
 */
export type Name = string;

/** How often and how long. */
export interface Window {
  /** When the window opens, as a cron expression. */
  start: string;
  /**
   * How long it stays open.
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$
   */
  length: Duration;
}

/** A page of items of some type. */
export interface Paged<T> {
  items: T[];
  /** @minimum 1 */
  pageSize?: int32;
}

/** A place to write backups to. */
export type Destination =
  | {
      /** Object storage. */
      type: 's3';
      bucket: Name;
      region?: string;
    }
  | {
      type: 'gcs';
      bucket: Name;
      project: string;
    }
  | {
      type: 'pvc' | 'hostPath';
      path: string;
    };

/** Compression codecs. */
export enum Codec {
  Gzip = 'gzip',
  Zstd = 'zstd',
}

/** Retention policy. */
export interface Retention {
  /**
   * Keep this many.
   * @minimum 0
   * @default 7
   */
  keep?: int32;
  /** @exclusiveMinimum 0 */
  ratio?: number;
  /** @exclusiveMaximum 100 */
  percent?: number;
  /** @multipleOf 5 */
  everyMinutes?: int32;
  /** @intOrString */
  maxUnavailable?: number | string;
  surge?: IntOrString;
}
