/** Manager options are validated up front, with messages that say how to fix them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { controllerFor } from '../controller/builder.ts';
import { LeaderElectionConfigError } from '../leader-election/config.ts';
import { noopLogger } from '../log/logger.ts';
import { createManager } from './manager.ts';
import { ManagerError } from './types.ts';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const foo = { group: 'samples.kubeforge.dev', version: 'v1', kind: 'Foo', plural: 'foos', namespaced: true };

test('leader election timing must satisfy lease > renew deadline > 1.2 x retry period', () => {
  assert.throws(
    () =>
      createManager({
        kubeConfig,
        logger: noopLogger,
        leaderElection: {
          leaseName: 'l',
          namespace: 'ns',
          leaseDurationMs: 10_000,
          renewDeadlineMs: 10_000,
          retryPeriodMs: 9_000,
        },
      }),
    (err: unknown) =>
      err instanceof LeaderElectionConfigError &&
      err.problems.some((p) => p.includes('leaseDurationMs (10000) must be greater than renewDeadlineMs')) &&
      err.problems.some((p) => p.includes('1.2 x retryPeriodMs')),
  );
});

test('the default leader election timing (15 s / 10 s / 2 s) is accepted', () => {
  assert.doesNotThrow(() =>
    createManager({ kubeConfig, logger: noopLogger, leaderElection: { leaseName: 'l', namespace: 'ns' } }),
  );
});

test('a Lease needs a name and a namespace', () => {
  assert.throws(
    () =>
      createManager({ kubeConfig, logger: noopLogger, leaderElection: { leaseName: '', namespace: 'ns' } }),
    (err: unknown) =>
      err instanceof ManagerError &&
      err.reason === 'InvalidOptions' &&
      err.message.includes('leaseName and namespace'),
  );
});

test('two controllers with the same name are refused with a hint', () => {
  const manager = createManager({ kubeConfig, logger: noopLogger });
  manager.add(controllerFor(foo).complete(() => Promise.resolve({})));
  assert.throws(
    () => manager.add(controllerFor(foo).complete(() => Promise.resolve({}))),
    (err: unknown) =>
      err instanceof ManagerError && err.reason === 'DuplicateController' && err.message.includes('.named('),
  );
});

test('stop() before start() resolves at once', async () => {
  await createManager({ kubeConfig, logger: noopLogger }).stop();
});
