/**
 * Reading a watch response: newline-delimited JSON, one `{type, object}` per line. Chunks
 * arrive split anywhere (mid-line, mid-character is handled by the stream's utf8 decoder), so
 * the splitter keeps the unfinished tail and only scans the new chunk for newlines.
 */
import type { Readable } from 'node:stream';
import type { KubeObject, WatchEvent } from '../api/index.ts';
import { NetworkError } from './errors.ts';

export interface WatchStreamOptions {
  /** When aborted, the iteration ends quietly (the transport destroys the body). */
  readonly signal?: AbortSignal | undefined;
  /** Called once the response is open (headers received), then for every chunk of bytes. */
  readonly onActivity?: (() => void) | undefined;
  /** `METHOD path`, for error messages. */
  readonly request: string;
}

/**
 * Yields the events of a watch response body until the server ends it. Connection failures
 * become `NetworkError`s; a stream that ends inside an event is a `MalformedResponse`. The body
 * is destroyed when the iteration ends for any reason, including the consumer breaking out.
 */
export async function* readWatchStream<T extends KubeObject>(
  body: Readable,
  typeMeta: { readonly apiVersion: string; readonly kind: string },
  options: WatchStreamOptions,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const { signal, onActivity } = options;
  body.setEncoding('utf8');
  const splitter = new LineSplitter();
  onActivity?.();
  try {
    for await (const chunk of body as AsyncIterable<string>) {
      onActivity?.();
      for (const line of splitter.push(chunk)) {
        if (line.length > 0) yield decodeWatchEvent<T>(line, typeMeta);
      }
    }
  } catch (error) {
    if (signal?.aborted) return;
    if (error instanceof NetworkError) throw error;
    throw NetworkError.from(error, options.request);
  } finally {
    if (!body.destroyed) body.destroy();
  }
  if (signal?.aborted) return;
  if (splitter.rest().trim().length > 0) {
    throw new NetworkError('MalformedResponse', `watch stream ended inside an event (${options.request})`, {
      request: options.request,
    });
  }
}

/** Splits a text stream into lines. */
export class LineSplitter {
  /** Pieces of the current unfinished line, oldest first. */
  #pending: string[] = [];

  /** Returns the lines completed by `chunk` (without their newline); keeps the rest. */
  push(chunk: string): string[] {
    const lines: string[] = [];
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline >= 0) {
      let line = chunk.slice(start, newline);
      if (this.#pending.length > 0) {
        this.#pending.push(line);
        line = this.#pending.join('');
        this.#pending = [];
      }
      lines.push(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) this.#pending.push(start === 0 ? chunk : chunk.slice(start));
    return lines;
  }

  /** The unfinished tail: non-empty only if the stream ended mid-line. */
  rest(): string {
    return this.#pending.join('');
  }
}

interface RawWatchEvent {
  readonly type?: string;
  readonly object?: unknown;
}

/**
 * Decodes one watch line. Objects missing apiVersion/kind get them from `typeMeta` (core
 * types sometimes omit them). Throws `NetworkError` (MalformedResponse) for undecodable lines.
 */
export function decodeWatchEvent<T extends KubeObject>(
  line: string,
  typeMeta: { readonly apiVersion: string; readonly kind: string },
): WatchEvent<T> {
  let raw: RawWatchEvent;
  try {
    raw = JSON.parse(line) as RawWatchEvent;
  } catch (error) {
    throw malformed(`undecodable watch event: ${truncate(line)}`, error);
  }
  const object = raw.object;
  if (typeof object !== 'object' || object === null) {
    throw malformed(`watch event without an object: ${truncate(line)}`);
  }
  switch (raw.type) {
    case 'ADDED':
      return { type: 'added', object: withTypeMeta(object as T, typeMeta) };
    case 'MODIFIED':
      return { type: 'modified', object: withTypeMeta(object as T, typeMeta) };
    case 'DELETED':
      return { type: 'deleted', object: withTypeMeta(object as T, typeMeta) };
    case 'BOOKMARK': {
      const metadata = (object as Partial<KubeObject>).metadata;
      const resourceVersion = metadata?.resourceVersion;
      if (resourceVersion === undefined)
        throw malformed(`bookmark without a resourceVersion: ${truncate(line)}`);
      return metadata?.annotations?.[INITIAL_EVENTS_END] === 'true'
        ? { type: 'bookmark', resourceVersion, initialEventsEnd: true }
        : { type: 'bookmark', resourceVersion };
    }
    case 'ERROR':
      return { type: 'error', status: object };
    default:
      throw malformed(`unknown watch event type ${JSON.stringify(raw.type)}`);
  }
}

/** The annotation on the bookmark that ends a watch-list's initial events. */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** Fills apiVersion and kind in place when the server left them out. */
export function withTypeMeta<T extends KubeObject>(
  object: T,
  typeMeta: { readonly apiVersion: string; readonly kind: string },
): T {
  object.apiVersion ??= typeMeta.apiVersion;
  object.kind ??= typeMeta.kind;
  return object;
}

function malformed(message: string, cause?: unknown): NetworkError {
  return new NetworkError('MalformedResponse', message, cause === undefined ? {} : { cause });
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
