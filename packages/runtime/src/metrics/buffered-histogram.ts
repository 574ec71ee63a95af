/**
 * A prom-client histogram for hot paths. prom-client hashes the label set on every
 * `observe` (~250 ns); work queues observe twice per item, which would dominate a queue
 * that otherwise handles millions of items per second. Here each label set gets a child
 * holding plain bucket counters, and the registry reads them at scrape time. It is still a
 * prom-client `Histogram` (registered, merged and exported the usual way), but it is fed
 * only through {@link BufferedHistogram.child}.
 */
import { Histogram, type Registry } from 'prom-client';

export interface HistogramChild {
  observe(value: number): void;
}

interface Child<T extends string> {
  readonly labels: Readonly<Record<T, string>>;
  /** Non-cumulative counts per bucket; the last slot counts values above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

export class BufferedHistogram<T extends string> extends Histogram<T> {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  readonly #children = new Map<string, Child<T>>();

  constructor(config: {
    readonly name: string;
    readonly help: string;
    readonly labelNames: readonly T[];
    readonly buckets: readonly number[];
    readonly registers: Registry[];
  }) {
    super({ ...config, buckets: [...config.buckets] });
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** The child for one label set; observing through it costs a bucket search and two adds. */
  child(labels: Readonly<Record<T, string>>): HistogramChild {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let child = this.#children.get(key);
    if (child === undefined) {
      child = { labels, counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#children.set(key, child);
    }
    const bounds = this.#bounds;
    const state = child;
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) return;
        let i = 0;
        while (i < bounds.length && value > (bounds[i] ?? Infinity)) i++;
        state.counts[i] = (state.counts[i] ?? 0) + 1;
        state.sum += value;
        state.count++;
      },
    };
  }

  override reset(): void {
    // prom-client's constructor calls reset() before this class's fields exist.
    if (!(#children in this)) return;
    for (const child of this.#children.values()) {
      child.counts.fill(0);
      child.sum = 0;
      child.count = 0;
    }
  }

  override get(): ReturnType<Histogram<T>['get']> {
    const values: ExportedValue[] = [];
    const bucketName = `${this.#name}_bucket`;
    for (const child of this.#children.values()) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += child.counts[i] ?? 0;
        values.push({ labels: { ...child.labels, le: bound }, value: cumulative, metricName: bucketName });
      });
      values.push(
        { labels: { ...child.labels, le: '+Inf' }, value: child.count, metricName: bucketName },
        { labels: { ...child.labels }, value: child.sum, metricName: `${this.#name}_sum` },
        { labels: { ...child.labels }, value: child.count, metricName: `${this.#name}_count` },
      );
    }
    const data = {
      name: this.#name,
      help: this.#help,
      type: 'histogram',
      aggregator: 'sum',
      values,
    };
    return Promise.resolve(data as unknown as Awaited<ReturnType<Histogram<T>['get']>>);
  }

  /** The registry prefers this internal method over `get()`; both export the same data. */
  getForPromString(): ReturnType<Histogram<T>['get']> {
    return this.get();
  }
}
