/**
 * The narrow interface through which a queue reports its health. The queue does the
 * bookkeeping (timestamps per item) only when a sink is given, so unmonitored queues pay
 * nothing; `metrics/` implements the sink with prom-client under controller-runtime's names.
 */

/** Receives one queue's measurements; the sink is already bound to the queue's name. */
export interface WorkQueueMetrics {
  /** An item was added (not counted when it was already waiting: adds are deduplicated). */
  add(): void;
  /** The number of items waiting for a worker changed to `depth`. */
  depth(depth: number): void;
  /** An item waited `seconds` between being added and being handed to a worker. */
  queueDuration(seconds: number): void;
  /** A worker held an item for `seconds` between `get` and `done`. */
  workDuration(seconds: number): void;
  /** An item was re-added with a delay (`addAfter` / `addRateLimited`). */
  retry(): void;
  /**
   * Sampled periodically while items are in flight: the summed age of all in-flight items
   * and the age of the oldest one, in seconds (both 0 when idle). Large, growing values
   * reveal stuck workers.
   */
  unfinishedWork(totalSeconds: number, longestSeconds: number): void;
}

/** Drops every measurement. */
export const noopWorkQueueMetrics: WorkQueueMetrics = {
  add: () => undefined,
  depth: () => undefined,
  queueDuration: () => undefined,
  workDuration: () => undefined,
  retry: () => undefined,
  unfinishedWork: () => undefined,
};
