import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../workqueue/clock.ts';
import { createRateLimitingQueue } from '../workqueue/rate-limiting-queue.ts';
import { queueShutDown } from '../workqueue/queue.ts';
import type { WatcherHealth } from '../watch/types.ts';
import {
  createMetrics,
  reconcileTimeBuckets,
  workQueueDurationBuckets,
  type WatcherHealthCounters,
} from './metrics.ts';

// The watcher's health snapshot is what trackWatcher samples: keep the shapes compatible.
const _watcherHealthFits = (health: WatcherHealth): WatcherHealthCounters => health;

/** The value of one sample line, e.g. `workqueue_adds_total{name="q",controller="q"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('exposes the workqueue metrics under controller-runtime names after queue activity', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const clock = new FakeClock();
    const queue = createRateLimitingQueue<string>({
      name: 'backups',
      clock,
      metrics: metrics.workQueue('backups'),
      unfinishedWorkUpdatePeriodMs: 100,
    });
    queue.add('a');
    queue.add('b');
    queue.add('a');
    clock.advance(20);
    const a = await queue.get();
    assert.equal(a, 'a');
    clock.advance(150); // a in flight for 150 ms; sampled at t=100
    queue.addRateLimited('a');
    queue.done('a');

    const text = await metrics.registry.metrics();
    const labels = '{name="backups",controller="backups"}';
    assert.equal(sample(text, `workqueue_adds_total${labels}`), 2);
    assert.equal(sample(text, `workqueue_depth${labels}`), 1);
    assert.equal(sample(text, `workqueue_retries_total${labels}`), 1);
    assert.equal(sample(text, `workqueue_queue_duration_seconds_count${labels}`), 1);
    assert.equal(sample(text, `workqueue_queue_duration_seconds_sum${labels}`), 0.02);
    assert.equal(sample(text, `workqueue_work_duration_seconds_count${labels}`), 1);
    assert.equal(sample(text, `workqueue_work_duration_seconds_sum${labels}`), 0.15);
    assert.equal(
      sample(text, `workqueue_work_duration_seconds_bucket{name="backups",controller="backups",le="0.1"}`),
      0,
    );
    assert.equal(
      sample(text, `workqueue_work_duration_seconds_bucket{name="backups",controller="backups",le="1"}`),
      1,
    );
    assert.equal(
      sample(text, `workqueue_work_duration_seconds_bucket{name="backups",controller="backups",le="+Inf"}`),
      1,
    );
    assert.equal(sample(text, `workqueue_unfinished_work_seconds${labels}`), 0.08);
    assert.equal(sample(text, `workqueue_longest_running_processor_seconds${labels}`), 0.08);
    assert.match(text, /# TYPE workqueue_queue_duration_seconds histogram/);

    // Counters keep their totals across scrapes.
    queue.add('c');
    const again = await metrics.registry.metrics();
    assert.equal(sample(again, `workqueue_adds_total${labels}`), 3);
    queue.shutDown();
    assert.equal(await queue.get(), 'b');
  });

  it('uses client-go buckets for queue durations and controller-runtime buckets for reconciles', () => {
    assert.deepEqual(
      workQueueDurationBuckets,
      [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000],
    );
    assert.equal(reconcileTimeBuckets[0], 0.005);
    assert.equal(reconcileTimeBuckets.at(-1), 60);
    assert.equal(reconcileTimeBuckets.length, 40);
  });

  it('counts reconciles by result, errors, time and workers per controller', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const controller = metrics.controller('backup');
    controller.setMaxConcurrentReconciles(4);
    controller.activeWorkers(1);
    controller.activeWorkers(1);
    controller.activeWorkers(-1);
    controller.reconciled('success', 0.2);
    controller.reconciled('error', 0.004);
    controller.reconciled('requeue_after', 0.01);
    controller.terminalError();
    assert.equal(metrics.controller('backup'), controller, 'one sink per controller');

    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'controller_runtime_reconcile_total{controller="backup",result="success"}'), 1);
    assert.equal(sample(text, 'controller_runtime_reconcile_total{controller="backup",result="error"}'), 1);
    assert.equal(sample(text, 'controller_runtime_reconcile_total{controller="backup",result="requeue"}'), 0);
    assert.equal(
      sample(text, 'controller_runtime_reconcile_total{controller="backup",result="requeue_after"}'),
      1,
    );
    assert.equal(sample(text, 'controller_runtime_reconcile_errors_total{controller="backup"}'), 1);
    assert.equal(sample(text, 'controller_runtime_terminal_reconcile_errors_total{controller="backup"}'), 1);
    assert.equal(sample(text, 'controller_runtime_reconcile_panics_total{controller="backup"}'), 0);
    assert.equal(sample(text, 'controller_runtime_reconcile_time_seconds_count{controller="backup"}'), 3);
    assert.equal(
      sample(text, 'controller_runtime_reconcile_time_seconds_bucket{le="0.005",controller="backup"}'),
      1,
    );
    assert.equal(sample(text, 'controller_runtime_max_concurrent_reconciles{controller="backup"}'), 4);
    assert.equal(sample(text, 'controller_runtime_active_workers{controller="backup"}'), 1);
  });

  it('reports leader election status', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const election = metrics.leaderElection('my-operator');
    assert.equal(
      sample(await metrics.registry.metrics(), 'leader_election_master_status{name="my-operator"}'),
      0,
    );
    election.leading(true);
    assert.equal(
      sample(await metrics.registry.metrics(), 'leader_election_master_status{name="my-operator"}'),
      1,
    );
    election.leading(false);
    assert.equal(
      sample(await metrics.registry.metrics(), 'leader_election_master_status{name="my-operator"}'),
      0,
    );
  });

  it('counts watch reconnects, relists, stalls and failures reported as they happen', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const watch = metrics.watch('configmaps');
    watch.reconnect();
    watch.reconnect();
    watch.relist();
    watch.stall();
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'kubeforge_watch_reconnects_total{resource="configmaps"}'), 2);
    assert.equal(sample(text, 'kubeforge_watch_relists_total{resource="configmaps"}'), 1);
    assert.equal(sample(text, 'kubeforge_watch_stalls_total{resource="configmaps"}'), 1);
    assert.equal(sample(text, 'kubeforge_watch_failures_total{resource="configmaps"}'), 0);
  });

  it('samples a tracked watcher health at each scrape', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const health = { reconnects: 3, relists: 1, stalls: 0, failures: 2, healthy: true };
    const untrack = metrics.trackWatcher('secrets', { health: () => health });
    let text = await metrics.registry.metrics();
    assert.equal(sample(text, 'kubeforge_watch_reconnects_total{resource="secrets"}'), 3);
    assert.equal(sample(text, 'kubeforge_watch_healthy{resource="secrets"}'), 1);
    health.reconnects = 5;
    health.stalls = 1;
    health.healthy = false;
    text = await metrics.registry.metrics();
    assert.equal(sample(text, 'kubeforge_watch_reconnects_total{resource="secrets"}'), 5);
    assert.equal(sample(text, 'kubeforge_watch_stalls_total{resource="secrets"}'), 1);
    assert.equal(sample(text, 'kubeforge_watch_failures_total{resource="secrets"}'), 2);
    assert.equal(sample(text, 'kubeforge_watch_healthy{resource="secrets"}'), 0);
    assert.throws(() => metrics.trackWatcher('secrets', { health: () => health }), /already tracked/);
    health.relists = 4;
    untrack();
    text = await metrics.registry.metrics();
    assert.equal(
      sample(text, 'kubeforge_watch_relists_total{resource="secrets"}'),
      4,
      'final increments kept',
    );
    assert.equal(sample(text, 'kubeforge_watch_healthy{resource="secrets"}'), undefined);
  });

  it('keeps separate registries apart and exports process metrics by default', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.workQueue('q').add();
    assert.match(await a.registry.metrics(), /process_cpu_user_seconds_total/);
    assert.equal(
      sample(await b.registry.metrics(), 'workqueue_adds_total{name="q",controller="q"}'),
      undefined,
    );
  });

  it('drains a queue end to end without losing counts', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const queue = createRateLimitingQueue<number>({ metrics: metrics.workQueue('bulk') });
    for (let i = 0; i < 1000; i++) queue.add(i);
    queue.shutDown();
    for (;;) {
      const item = await queue.get();
      if (item === queueShutDown) break;
      queue.done(item);
    }
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'workqueue_adds_total{name="bulk",controller="bulk"}'), 1000);
    assert.equal(sample(text, 'workqueue_work_duration_seconds_count{name="bulk",controller="bulk"}'), 1000);
    assert.equal(sample(text, 'workqueue_depth{name="bulk",controller="bulk"}'), 0);
  });
});

describe('webhook metrics', () => {
  it('count requests by code, latency, in-flight and failures by reason under controller-runtime names', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const sink = metrics.webhook('/validate-x');
    assert.equal(metrics.webhook('/validate-x'), sink);
    sink.inFlight(1);
    let text = await metrics.registry.metrics();
    assert.equal(sample(text, 'controller_runtime_webhook_requests_in_flight{webhook="/validate-x"}'), 1);
    sink.answered(200, 0.02);
    sink.inFlight(-1);
    sink.answered(500, 0.3);
    sink.failed('HandlerFailed');
    sink.failed('MalformedReview');
    text = await metrics.registry.metrics();
    assert.equal(sample(text, 'controller_runtime_webhook_requests_in_flight{webhook="/validate-x"}'), 0);
    assert.equal(
      sample(text, 'controller_runtime_webhook_requests_total{webhook="/validate-x",code="200"}'),
      1,
    );
    assert.equal(
      sample(text, 'controller_runtime_webhook_requests_total{webhook="/validate-x",code="500"}'),
      1,
    );
    assert.equal(sample(text, 'controller_runtime_webhook_latency_seconds_count{webhook="/validate-x"}'), 2);
    assert.equal(
      sample(text, 'controller_runtime_webhook_latency_seconds_bucket{le="0.025",webhook="/validate-x"}'),
      1,
    );
    assert.equal(sample(text, 'controller_runtime_webhook_panics_total'), 1);
    assert.equal(
      sample(text, 'kubeforge_webhook_failures_total{webhook="/validate-x",reason="MalformedReview"}'),
      1,
    );
  });
});
