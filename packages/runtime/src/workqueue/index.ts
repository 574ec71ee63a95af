/**
 * workqueue: client-go's work queues — a deduplicating fair FIFO that never hands one key to
 * two workers at once, a delaying queue, a rate-limiting queue and composable rate
 * limiters — plus the injectable clock they (and leader election) run on.
 */
export { realClock, FakeClock, type Clock, type TimerHandle, type TimerOptions } from './clock.ts';
export { noopWorkQueueMetrics, type WorkQueueMetrics } from './metrics.ts';
export {
  createWorkQueue,
  queueShutDown,
  type QueueShutDown,
  type ShutDownWithDrainOptions,
  type WorkQueue,
  type WorkQueueOptions,
} from './queue.ts';
export { createDelayingQueue, type DelayingQueue, type DelayingQueueOptions } from './delaying-queue.ts';
export {
  exponentialFailureRateLimiter,
  tokenBucketRateLimiter,
  fastSlowRateLimiter,
  maxOf,
  defaultControllerRateLimiter,
  type RateLimiter,
  type ExponentialFailureOptions,
  type TokenBucketOptions,
  type FastSlowOptions,
} from './rate-limiters.ts';
export {
  createRateLimitingQueue,
  type RateLimitingQueue,
  type RateLimitingQueueOptions,
} from './rate-limiting-queue.ts';
