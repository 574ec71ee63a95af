/**
 * The items of a list page waiting to be parsed together. {@link ListSplitter} finds where
 * each element of `items` starts and ends and copies the bytes it keeps here; parsing items
 * one `JSON.parse` at a time would give each its own short-lived string and bookkeeping in
 * V8's young generation, so a large list would fill the young generation with garbage and make
 * it grow (resident memory the process keeps afterwards). Instead the bytes of consecutive
 * items gather in one reused Buffer (outside the JS heap) until they reach
 * {@link BATCH_BYTES}, then are decoded as one array: one string, large enough for V8 to place
 * outside the young generation, and one parse.
 *
 * Contract: memory held is one Buffer of about a batch (larger only for an item larger than a
 * batch); items are handed on in server order; an element that is not valid JSON is named by
 * its index and the byte where it ended, as if it had been parsed alone.
 */

/** Bytes of items decoded at once: above V8's largest young-generation object (128 KiB). */
export const BATCH_BYTES = 256 * 1024;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** Why a batch could not be parsed: the element at fault, and where it ended in the body. */
export interface BatchParseFailure {
  readonly element: number;
  readonly endOffset: number;
  readonly cause: unknown;
}

export class ItemBatch {
  /** `[`, then the items' bytes separated by commas; room for the closing `]`. */
  #buffer: Buffer;
  #length = 1;
  /** Per item: where its bytes start in `#buffer`, and the body offset where it ended. */
  #starts: number[] = [];
  #endOffsets: number[] = [];
  /** Index in `items` of the batch's first element. */
  #first = 0;

  constructor(capacity: number = BATCH_BYTES + 64 * 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(capacity, 16));
    this.#buffer[0] = OPEN_BRACKET;
  }

  /** Items in the batch (ended or not). */
  get size(): number {
    return this.#starts.length;
  }

  get bytes(): number {
    return this.#length;
  }

  /** The last byte kept, or undefined when the batch is empty. */
  get lastByte(): number | undefined {
    return this.#length > 1 ? this.#buffer[this.#length - 1] : undefined;
  }

  /** Starts element `index` of `items`. */
  begin(index: number): void {
    if (this.#starts.length === 0) this.#first = index;
    else this.#put(COMMA);
    this.#starts.push(this.#length);
  }

  /** Keeps `chunk[from, to)` as the next bytes of the current item. */
  append(chunk: Buffer, from: number, to: number): void {
    const count = to - from;
    if (count <= 0) return;
    this.#reserve(count);
    chunk.copy(this.#buffer, this.#length, from, to);
    this.#length += count;
  }

  /** Forgets the last byte kept (a comma that turned out to precede a member cut out). */
  dropLastByte(): void {
    if (this.#length > 1) this.#length--;
  }

  /** The current item ended at body offset `endOffset`. */
  end(endOffset: number): void {
    this.#endOffsets.push(endOffset);
  }

  /** Parses the ended items and empties the batch; a failure names the first bad element. */
  take(): { readonly items: readonly unknown[] } | { readonly failure: BatchParseFailure } {
    this.#put(CLOSE_BRACKET);
    const text = this.#buffer.toString('utf8', 0, this.#length);
    const starts = this.#starts;
    const endOffsets = this.#endOffsets;
    const length = this.#length;
    this.#starts = [];
    this.#endOffsets = [];
    this.#length = 1;
    try {
      return { items: JSON.parse(text) as unknown[] };
    } catch (error) {
      return { failure: this.#locate(starts, endOffsets, length, error) };
    }
  }

  #put(byte: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = byte;
  }

  #reserve(count: number): void {
    // One byte more for the closing bracket.
    if (this.#length + count + 1 <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + count + 1));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }

  /** Parses the items one by one to find the first that is not valid JSON. */
  #locate(
    starts: readonly number[],
    endOffsets: readonly number[],
    length: number,
    batchError: unknown,
  ): BatchParseFailure {
    for (let k = 0; k < starts.length; k++) {
      // Up to the comma before the next item, or the closing bracket.
      const end = (k + 1 < starts.length ? (starts[k + 1] ?? 0) : length) - 1;
      try {
        JSON.parse(this.#buffer.toString('utf8', starts[k], end));
      } catch (error) {
        return { element: this.#first + k, endOffset: endOffsets[k] ?? 0, cause: error };
      }
    }
    // Each item parses alone: only the joining could be at fault, which would be a bug here.
    return { element: this.#first, endOffset: endOffsets[0] ?? 0, cause: batchError };
  }
}
