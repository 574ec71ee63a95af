/**
 * The bench harness's own arithmetic and parsing (cheap, no cluster): percentiles, ratios,
 * target checks, table rendering and options. Not part of `npm test`; run with
 * `node --test bench/lib/harness.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchUsageError, parseBenchOptions, SCENARIO_IDS } from './options.ts';
import { checkTarget, renderMarkdown, renderText } from './report.ts';
import { runRounds } from './scenario.ts';
import { formatRatio, kneeOf, median, pairedRatio, percentile, ratio } from './stats.ts';
import { startWorker, WorkerFailedError } from './worker-process.ts';

describe('stats', () => {
  it('takes the median of odd and even sample counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('interpolates percentiles between closest ranks', () => {
    const samples = Array.from({ length: 101 }, (_, i) => i);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile([10, 20], 50), 15);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('pairs ratios by round, so drift across a run cancels out', () => {
    // Both contenders get faster over the run; each round kubeforge does 0.9x the bare rate.
    assert.equal(pairedRatio([90, 180, 270], [100, 200, 300]), 0.9);
    assert.ok(Number.isNaN(pairedRatio([], [1])));
  });

  it('gives NaN ratios when a contender did not run', () => {
    assert.ok(Number.isNaN(ratio(Number.NaN, 2)));
    assert.ok(Number.isNaN(ratio(1, 0)));
    assert.equal(formatRatio(ratio(1, 4)), '0.25x');
  });
});

describe('throughput knee', () => {
  it('picks the fewest in flight that reach the share of the best rate', () => {
    const rates = new Map([
      [16, 1000],
      [1, 300],
      [4, 850],
      [8, 960],
      [2, 550],
    ]);
    assert.equal(kneeOf(rates, 0.9), 8);
    assert.equal(kneeOf(rates, 0.8), 4);
    assert.equal(kneeOf(rates, 1), 16);
    assert.equal(kneeOf(new Map(), 0.9), undefined);
  });
});

describe('targets', () => {
  it('marks a bound met, missed, or not measured', () => {
    assert.equal(checkTarget('t', 0.95, { atLeast: 0.9 }, String).status, 'met');
    assert.equal(checkTarget('t', 0.5, { atLeast: 0.9 }, String).status, 'missed');
    assert.equal(checkTarget('t', 50, { below: 50 }, String).status, 'missed');
    assert.equal(checkTarget('t', 0.5, { atMost: 0.5 }, String).status, 'met');
    assert.equal(checkTarget('t', Number.NaN, { atMost: 0.5 }, String).status, 'not measured');
  });
});

describe('tables', () => {
  const table = { columns: ['contender', 'ops/s'], rows: [['a|b', '1,000']] };

  it('renders Markdown with escaped pipes and right-aligned numbers', () => {
    assert.equal(renderMarkdown(table), '| contender | ops/s |\n| --- | ---: |\n| a\\|b | 1,000 |');
  });

  it('aligns console columns', () => {
    assert.equal(renderText(table), 'contender  ops/s\n---------  -----\na|b        1,000');
  });
});

describe('rounds', () => {
  it('rotates the contender order from round to round', async () => {
    const order: string[] = [];
    const contender = (name: string) => ({
      name,
      run: () => {
        order.push(name);
        return Promise.resolve(name.length);
      },
    });
    const samples = await runRounds([contender('a'), contender('b'), contender('c')], 3, () => undefined);
    assert.deepEqual(order, ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    assert.deepEqual(samples.get('b'), [1, 1, 1]);
  });
});

describe('options', () => {
  it('runs every scenario by default and one with --only', () => {
    const all = parseBenchOptions([], 'out.md');
    assert.ok(all !== 'help');
    assert.deepEqual(all.scenarios, SCENARIO_IDS);
    const one = parseBenchOptions(['--quick', '--only', 'writes,workqueue', '--rounds', '3'], 'out.md');
    assert.ok(one !== 'help');
    assert.deepEqual(one.scenarios, ['writes', 'workqueue']);
    assert.equal(one.quick, true);
    assert.equal(one.rounds, 3);
  });

  it('rejects unknown scenarios and bad round counts with the usage', () => {
    assert.throws(() => parseBenchOptions(['--only', 'nope'], 'out.md'), BenchUsageError);
    assert.throws(
      () => parseBenchOptions(['--rounds', '0'], 'out.md'),
      /--rounds must be a positive integer/,
    );
    assert.throws(() => parseBenchOptions(['--bogus'], 'out.md'), BenchUsageError);
  });
});

describe('worker processes', () => {
  const script = new URL('./testdata/echo-worker.ts', import.meta.url);

  it('passes the input to the worker and returns its answer', async () => {
    const worker = startWorker<never, { echoed: unknown }>(script, { answer: true });
    try {
      assert.deepEqual(await worker.next(), { echoed: { answer: true } });
    } finally {
      worker.kill();
    }
  });

  it('fails a worker that does not answer in time instead of waiting forever', async () => {
    const worker = startWorker<never, unknown>(script, { answer: false });
    try {
      await assert.rejects(worker.next(200), WorkerFailedError);
    } finally {
      worker.kill();
    }
  });
});
