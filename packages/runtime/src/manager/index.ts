/**
 * manager: runs controllers over shared caches with leader election, health and metrics
 * endpoints, structured logs and graceful shutdown.
 */
export {
  createManager,
  ManagerError,
  type Manager,
  type ManagerOptions,
  type LeaderElectionOptions,
} from './manager.ts';
