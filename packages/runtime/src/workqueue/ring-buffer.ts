/**
 * A growable FIFO over a power-of-two circular array: O(1) push and shift without the
 * O(n) re-indexing of `Array.prototype.shift` on large arrays. Internal to the workqueue.
 */
export class RingBuffer<T> {
  #items: (T | undefined)[];
  #mask: number;
  #head = 0;
  #length = 0;

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity);
    this.#mask = capacity - 1;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item. Callers check `length` first. */
  shift(): T {
    if (this.#length === 0) throw new RangeError('RingBuffer.shift on an empty buffer');
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined; // let the item be collected
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  /** Removes every item, returning them oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#length > 0) out.push(this.shift());
    return out;
  }

  #grow(): void {
    const old = this.#items;
    const capacity = old.length * 2;
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) next[i] = old[(this.#head + i) & this.#mask];
    this.#items = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
