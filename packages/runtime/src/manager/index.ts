/**
 * manager: runs controllers over shared caches with leader election, health and metrics
 * endpoints, structured logs and graceful shutdown.
 */
export { createManager } from './manager.ts';
export {
  ManagerError,
  type Manager,
  type ManagerOptions,
  type ManagerWatcherOptions,
  type LeaderElectionOptions,
} from './types.ts';
export { type ProcessFailurePolicy } from './process-failures.ts';
