/**
 * Reading a list response as it arrives: the body is one JSON object whose `items` array can
 * hold tens of thousands of objects (a `resourceVersion=0` list is served from the watch
 * cache in one response, whatever the page size). {@link ListSplitter} scans the bytes for
 * the boundaries of each element of `items` and parses one element at a time, so the body and
 * the whole parsed page never exist at once: each item is handed on (and may be compacted)
 * before the next one is read.
 *
 * With `dropManagedFields`, each item's `metadata.managedFields` is cut out of the bytes
 * before the item is parsed: server-side apply bookkeeping is often half of a small object,
 * and an informer that drops it anyway should not pay to parse it. Only the member of the
 * item's own top-level `metadata` is cut (never a field of that name elsewhere, e.g. in
 * `spec`); where the bytes are not laid out as the API server writes them (whitespace around
 * the member, a key split between chunks) the item is parsed whole and the caller's own
 * dropping applies.
 *
 * Contract: the top-level object's other members (`apiVersion`, `kind`, `metadata`) may come
 * before or after `items` (built-in lists put `metadata` first, custom resources' lists sort
 * their keys and put it last) and are parsed whole; `items` may be `null` (Go's empty slice).
 * Each element must be a JSON object. Anything else is a `MalformedResponse` naming the byte
 * offset where the body went wrong. Only JSON structure is checked here; each item's text is
 * validated by `JSON.parse`.
 */
import type { Readable } from 'node:stream';
import type { ListMeta } from '../api/index.ts';
import { NetworkError } from './errors.ts';
import { BATCH_BYTES, ItemBatch } from './list-batch.ts';

/** Byte values of the JSON structural characters. */
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The typed array builtin, not Buffer's: Buffer#indexOf goes through argument handling written
 * in JS that allocates on every call, and the scan calls it once per string.
 */
function indexOfByte(chunk: Buffer, byte: number, from: number): number {
  return Uint8Array.prototype.indexOf.call(chunk, byte, from);
}

const METADATA = Buffer.from('metadata');
const MANAGED_FIELDS = Buffer.from('managedFields');

/** Whether `chunk[from, to)` holds exactly the bytes of `word`. */
function bytesEqual(chunk: Buffer, from: number, to: number, word: Buffer): boolean {
  if (to - from !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (chunk[from + k] !== word[k]) return false;
  return true;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Where the scanner is in the top-level object; `collect` is inside a key, member value or item. */
type Phase =
  | 'start'
  | 'key-or-end'
  | 'key'
  | 'colon'
  | 'member'
  | 'items'
  | 'item-or-end'
  | 'item'
  | 'after-item'
  | 'after-member'
  | 'collect'
  | 'end';

/** What is being collected, and so what happens when it ends. */
type Target = 'key' | 'member' | 'item';
/** How a collected value ends: its closing quote, its closing bracket, or the next delimiter. */
type Shape = 'string' | 'nested' | 'scalar';

/**
 * Whether the bytes just before `end` (not before `floor`) are an odd run of backslashes, i.e.
 * whether the byte at `end` is escaped. A run never reaches back past `floor`: the scan starts
 * there outside any escape.
 */
function oddBackslashesBefore(chunk: Buffer, end: number, floor: number): boolean {
  let run = 0;
  for (let j = end - 1; j >= floor && chunk[j] === BACKSLASH; j--) run++;
  return run % 2 === 1;
}

/** The members of a list other than its items, parsed. */
export interface ListEnvelope {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ListMeta;
}

/**
 * Splits a list body into its items, pushed a chunk at a time. `onItem` receives each element
 * of `items`, parsed, in order, from inside {@link push}, a batch at a time (see
 * list-batch.ts); what it throws aborts the scan.
 */
export class ListSplitter {
  readonly #onItem: (item: unknown) => void;
  #phase: Phase = 'start';
  #target: Target = 'key';
  #shape: Shape = 'string';
  /** Bracket depth inside the value being collected. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Bytes of the value being collected that came in earlier chunks. */
  #pieces: Buffer[] = [];
  #key = '';
  /** Bytes consumed before the current chunk, for error offsets. */
  #offset = 0;
  readonly #members = new Map<string, unknown>();
  /** Elements of `items` handed on, and read (handed on or waiting in the batch). */
  #items = 0;
  #read = 0;
  /** Where the bytes of items go (keys and members use `#pieces`). */
  readonly #batch: ItemBatch;
  readonly #batchBytes: number;
  /** Where the part of the value being collected that is kept starts in the current chunk. */
  #segment = 0;

  // Cutting `metadata.managedFields` out of an item (see the module comment).
  readonly #dropManagedFields: boolean;
  /** The last string closed at depth 1 of the item was `"metadata"` (its key, if `{` follows). */
  #metadataKey = false;
  /** The object open at depth 2 is the item's `metadata`. */
  #inMetadata = false;
  /** Bytes are being cut until the depth falls back to 2 (the end of managedFields' value). */
  #cutting = false;
  /** The member cut was the first of `metadata`: the comma after it goes too. */
  #cutNextComma = false;

  readonly #request: string | undefined;

  /**
   * `request` (`METHOD path`) names the response in errors. `dropManagedFields` cuts each
   * item's `metadata.managedFields` before parsing it.
   */
  constructor(
    onItem: (item: unknown) => void,
    request?: string,
    options: { readonly dropManagedFields?: boolean; readonly batchBytes?: number } = {},
  ) {
    this.#onItem = onItem;
    this.#request = request;
    this.#dropManagedFields = options.dropManagedFields === true;
    this.#batchBytes = options.batchBytes ?? BATCH_BYTES;
    this.#batch = new ItemBatch(this.#batchBytes + 64 * 1024);
  }

  /** Elements of `items` handed on so far. */
  get items(): number {
    return this.#items;
  }

  /** Scans one chunk of the body. */
  push(chunk: Buffer): void {
    const length = chunk.length;
    this.#segment = 0;
    for (let i = 0; i < length; i++) {
      const byte = chunk[i] ?? -1;
      if (this.#phase === 'collect') {
        const end = this.#scan(chunk, i);
        if (end < 0) break;
        if (this.#target === 'item') {
          this.#endItem(chunk, end);
          i = end;
        } else if (this.#shape === 'scalar') {
          this.#finish(this.#text(chunk, end), end);
          i = end - 1; // the delimiter belongs to the enclosing object
        } else {
          this.#finish(this.#text(chunk, end + 1), end);
          i = end;
        }
        continue;
      }
      if (isSpace(byte)) continue;
      switch (this.#phase) {
        case 'start':
          if (byte !== OPEN_BRACE) this.#fail(i, 'a list must be a JSON object');
          this.#phase = 'key-or-end';
          break;
        case 'key-or-end':
          if (byte === CLOSE_BRACE) this.#phase = 'end';
          else this.#collectKey(byte, i);
          break;
        case 'key':
          this.#collectKey(byte, i);
          break;
        case 'colon':
          if (byte !== COLON) this.#fail(i, `expected ":" after the key ${JSON.stringify(this.#key)}`);
          this.#phase = this.#key === 'items' ? 'items' : 'member';
          break;
        case 'items':
          if (byte === OPEN_BRACKET) this.#phase = 'item-or-end';
          else this.#collect('member', byte, i); // `null`, checked when it ends
          break;
        case 'member':
          this.#collect('member', byte, i);
          break;
        case 'item-or-end':
          if (byte === CLOSE_BRACKET) this.#phase = 'after-member';
          else this.#collectItem(byte, i);
          break;
        case 'item':
          this.#collectItem(byte, i);
          break;
        case 'after-item':
          if (byte === COMMA) this.#phase = 'item';
          else if (byte === CLOSE_BRACKET) {
            this.#flush();
            this.#phase = 'after-member';
          } else this.#fail(i, 'expected "," or "]" after an element of items');
          break;
        case 'after-member':
          if (byte === COMMA) this.#phase = 'key';
          else if (byte === CLOSE_BRACE) this.#phase = 'end';
          else this.#fail(i, 'expected "," or "}" after a member of the list');
          break;
        case 'end':
          this.#fail(i, 'unexpected data after the end of the list');
      }
    }
    if (this.#phase === 'collect' && !this.#cutting && this.#segment < length) {
      if (this.#target === 'item') this.#batch.append(chunk, this.#segment, length);
      else this.#pieces.push(this.#segment === 0 ? chunk : chunk.subarray(this.#segment));
    }
    this.#offset += length;
  }

  /** Checks that the body ended where the list does; returns its members other than items. */
  end(): ListEnvelope {
    if (this.#phase !== 'end') this.#fail(0, 'the body ended before the list did');
    const metadata = this.#members.get('metadata');
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      this.#fail(0, 'the list has no metadata object');
    }
    const apiVersion = this.#members.get('apiVersion');
    const kind = this.#members.get('kind');
    return {
      metadata: metadata,
      ...(typeof apiVersion === 'string' && { apiVersion }),
      ...(typeof kind === 'string' && { kind }),
    };
  }

  /**
   * Scans the value being collected from `from`: returns the index of its last byte (of the
   * delimiter after it, for a scalar), or -1 when it goes on past this chunk. The hot loop:
   * state lives in locals while it runs.
   *
   * For an item whose `metadata.managedFields` is cut out (`cut`), the close of a string at
   * depth 1 or 2 is also a look at which key it was. The member is cut with the comma before
   * it (or, as the first member, the comma after it); its value is walked (its strings may
   * hold brackets) but not kept.
   */
  #scan(chunk: Buffer, from: number): number {
    const length = chunk.length;
    if (this.#shape === 'scalar') {
      for (let i = from; i < length; i++) {
        const byte = chunk[i] ?? -1;
        if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) return i;
      }
      return -1;
    }
    const nested = this.#shape === 'nested';
    const cut = this.#target === 'item' && this.#dropManagedFields;
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    // The byte that opened the value was accounted for when collecting started.
    let i = from;
    if (escaped && i < length) {
      escaped = false; // the escaped byte opens this chunk
      i++;
    }
    const floor = i;
    /** Where the open string started in this chunk; -1 when it started in an earlier one. */
    let stringStart = -1;
    while (i < length) {
      if (inString) {
        // Strings are most of a body: jump to the next quote, then see whether it is escaped.
        const quote = indexOfByte(chunk, QUOTE, i);
        if (quote < 0) {
          escaped = oddBackslashesBefore(chunk, length, i);
          break;
        }
        i = quote + 1;
        if (chunk[quote - 1] === BACKSLASH && oddBackslashesBefore(chunk, quote, floor)) continue;
        inString = false;
        if (!nested) return quote;
        if (!cut || this.#cutting || depth > 2) continue;
        if (depth === 1)
          this.#metadataKey = stringStart >= 0 && bytesEqual(chunk, stringStart + 1, quote, METADATA);
        else if (
          stringStart >= 0 &&
          this.#inMetadata &&
          chunk[quote + 1] === COLON &&
          chunk[quote + 2] === OPEN_BRACKET &&
          bytesEqual(chunk, stringStart + 1, quote, MANAGED_FIELDS) &&
          this.#cutFrom(chunk, stringStart)
        ) {
          i = quote + 3;
          depth++;
        }
        continue;
      }
      const byte = chunk[i] ?? -1;
      if (byte === QUOTE) {
        inString = true;
        stringStart = i;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (cut && depth === 1) this.#inMetadata = byte === OPEN_BRACE && this.#metadataKey;
        depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) return i;
        if (cut && depth === 2 && this.#cutting) {
          this.#cutting = false;
          this.#segment = i + 1;
        } else if (cut && depth === 1) {
          this.#inMetadata = false;
          this.#cutNextComma = false;
        }
      } else if (byte === COMMA && this.#cutNextComma && depth === 2) {
        this.#cutNextComma = false;
        this.#segment = i + 1;
      }
      i++;
    }
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return -1;
  }

  /**
   * Starts cutting at the key whose opening quote is at `keyStart`: keeps what came before it
   * (less the comma before it) and returns true, or returns false (nothing cut) when the key
   * is not right after a comma or the opening brace.
   */
  #cutFrom(chunk: Buffer, keyStart: number): boolean {
    const before = keyStart > 0 ? chunk[keyStart - 1] : this.#batch.lastByte;
    if (before !== COMMA && before !== OPEN_BRACE) return false;
    const keepUntil = before === COMMA ? keyStart - 1 : keyStart;
    // A comma before the key but in an earlier chunk is the last byte kept.
    if (keepUntil < this.#segment) this.#batch.dropLastByte();
    else this.#batch.append(chunk, this.#segment, keepUntil);
    this.#cutting = true;
    this.#cutNextComma = before === OPEN_BRACE;
    return true;
  }

  #collectItem(byte: number, i: number): void {
    if (byte !== OPEN_BRACE) this.#fail(i, `element ${this.#read} of items is not a JSON object`);
    this.#metadataKey = false;
    this.#inMetadata = false;
    this.#cutting = false;
    this.#cutNextComma = false;
    this.#batch.begin(this.#read);
    this.#collect('item', byte, i);
  }

  #collectKey(byte: number, i: number): void {
    if (byte !== QUOTE) this.#fail(i, 'expected a quoted key');
    this.#collect('key', byte, i);
  }

  /** Starts collecting a value whose first byte is `byte`, at `i`. */
  #collect(target: Target, byte: number, i: number): void {
    this.#phase = 'collect';
    this.#target = target;
    this.#segment = i;
    this.#depth = 0;
    this.#escaped = false;
    if (byte === QUOTE) {
      this.#shape = 'string';
      this.#inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      this.#shape = 'nested';
      this.#inString = false;
      this.#depth = 1;
    } else {
      this.#shape = 'scalar';
      this.#inString = false;
    }
  }

  /** The text of the value being collected: earlier pieces, then `chunk` from the segment to `end`. */
  #text(chunk: Buffer, end: number): string {
    if (this.#pieces.length === 0) return chunk.toString('utf8', this.#segment, end);
    if (end > this.#segment) this.#pieces.push(chunk.subarray(this.#segment, end));
    const text = Buffer.concat(this.#pieces).toString('utf8');
    this.#pieces = [];
    return text;
  }

  /** An element of `items` ended at byte `end`: into the batch, which is parsed once full. */
  #endItem(chunk: Buffer, end: number): void {
    this.#batch.append(chunk, this.#segment, end + 1);
    this.#batch.end(this.#offset + end);
    this.#read++;
    this.#phase = 'after-item';
    if (this.#batch.bytes >= this.#batchBytes) this.#flush();
  }

  /** Parses the batch and hands its items on. */
  #flush(): void {
    if (this.#batch.size === 0) return;
    const taken = this.#batch.take();
    if ('failure' in taken) {
      const { element, endOffset, cause } = taken.failure;
      this.#fail(endOffset - this.#offset, `element ${element} of items is not valid JSON`, cause);
    }
    for (const item of taken.items) {
      this.#items++;
      this.#onItem(item);
    }
  }

  /** The key or member being collected ended at byte `i`: parse it and move on. */
  #finish(text: string, i: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const what = this.#target === 'key' ? 'a key' : `the member ${JSON.stringify(this.#key)}`;
      this.#fail(i, `${what} is not valid JSON`, error);
    }
    switch (this.#target) {
      case 'key':
        this.#key = value as string;
        this.#phase = 'colon';
        return;
      case 'member':
        if (this.#key === 'items' && value !== null) this.#fail(i, 'items must be an array or null');
        this.#members.set(this.#key, value);
        this.#phase = 'after-member';
        return;
      case 'item':
        throw new Error('items end in #endItem');
    }
  }

  #fail(at: number, message: string, cause?: unknown): never {
    const where = this.#request === undefined ? '' : ` (${this.#request})`;
    throw new NetworkError(
      'MalformedResponse',
      `undecodable list body near byte ${this.#offset + at}${where}: ${message}`,
      {
        ...(this.#request !== undefined && { request: this.#request }),
        ...(cause !== undefined && { cause }),
      },
    );
  }
}

export interface ListStreamOptions {
  readonly signal?: AbortSignal | undefined;
  /** `METHOD path`, for error messages. */
  readonly request: string;
  /** Cut each item's `metadata.managedFields` before parsing it (see {@link ListSplitter}). */
  readonly dropManagedFields?: boolean | undefined;
}

/**
 * Reads a list response body to its end, handing each element of `items` to `onItem` as it is
 * decoded, and returns the list's other members. A failing connection is a `NetworkError`, a
 * body that is not a list a `MalformedResponse`; what `onItem` throws is rethrown unchanged;
 * an abort rejects with the signal's reason. The body is destroyed if reading stops early.
 */
export async function readListStream(
  body: Readable,
  onItem: (item: unknown) => void,
  options: ListStreamOptions,
): Promise<ListEnvelope> {
  const splitter = new ListSplitter(onItem, options.request, {
    dropManagedFields: options.dropManagedFields === true,
  });
  const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        if (options.signal?.aborted === true) throw options.signal.reason;
        throw NetworkError.from(error, options.request);
      }
      if (next.done === true) break;
      splitter.push(next.value);
    }
  } finally {
    if (!body.destroyed) body.destroy();
  }
  return splitter.end();
}
