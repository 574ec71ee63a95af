/**
 * leader-election: client-go's Lease-based leader election. One replica leads at a time;
 * the leader stops before its lease could expire when it cannot renew, and releases the
 * lease on a clean shutdown so a standby takes over at once.
 */
export {
  createLeaderElector,
  LeaderElectionLostError,
  LeaderElectionStoppedError,
  type LeaderElector,
  type LeaderElectorOptions,
  type LeaderElectionCallbacks,
  type LeaderElectionResult,
  type LeaderElectionLostReason,
} from './leader-elector.ts';
export {
  validateLeaderElectionTiming,
  defaultLeaderElectionTiming,
  defaultLeaderIdentity,
  LeaderElectionConfigError,
  LeaderElectionUsageError,
  type LeaderElectionConfigErrorReason,
  type LeaderElectionUsageErrorReason,
  type LeaderElectionTiming,
} from './config.ts';
export {
  createLeaseLock,
  leaseResource,
  toMicroTime,
  type Lease,
  type LeaseLockOptions,
  type LeaderElectionRecord,
  type LockSnapshot,
  type LockRequestOptions,
  type ResourceLock,
} from './lease-lock.ts';
