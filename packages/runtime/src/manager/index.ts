/**
 * manager: runs controllers over shared caches (scoped, indexed, released with the controllers
 * that hold them) with leader election, health and metrics endpoints, structured logs and
 * graceful shutdown. Controllers can be added and removed while it runs.
 */
export { createManager } from './manager.ts';
export {
  ManagerError,
  type Manager,
  type ManagerOptions,
  type ManagerWatcherOptions,
  type LeaderElectionOptions,
  type ResourceCacheScope,
} from './types.ts';
export { type ProcessFailurePolicy } from './process-failures.ts';
