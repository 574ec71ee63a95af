import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeaderElectionConfigError } from './config.ts';
import { createLeaseLock, toMicroTime } from './lease-lock.ts';

describe('toMicroTime', () => {
  it('formats RFC 3339 with exactly six fractional digits, in UTC', () => {
    assert.equal(toMicroTime(Date.UTC(2024, 0, 2, 15, 4, 5, 123)), '2024-01-02T15:04:05.123000Z');
    assert.equal(toMicroTime(Date.UTC(2024, 0, 2, 15, 4, 5, 0) + 0.5), '2024-01-02T15:04:05.000500Z');
  });
});

describe('createLeaseLock', () => {
  it('needs a KubeConfig or a client', () => {
    assert.throws(() => createLeaseLock({ namespace: 'ns', name: 'lock' }), LeaderElectionConfigError);
  });
});
