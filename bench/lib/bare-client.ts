/**
 * The limit: bare HTTP clients on the same API server, with the same TLS material and token,
 * keep-alive connections, no abstractions — what a hand-written client does at best.
 *
 * - `undici`: `Pool.request`, the lowest-overhead HTTP client in Node.
 * - `fetch`: undici's `fetch` over a keep-alive `Agent` (what a user writing "just fetch" gets).
 *
 * Both parse the JSON response, like every contender, so the comparison is of client overhead.
 */
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { Agent, Pool, fetch } from 'undici';

export interface BareResponse {
  readonly statusCode: number;
  readonly body: unknown;
}

export interface BareClient {
  readonly name: string;
  /** Sends a JSON request and parses the JSON answer; statuses >= 300 throw `BareHttpError`. */
  send(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<unknown>;
  close(): Promise<void>;
}

export class BareHttpError extends Error {
  override readonly name = 'BareHttpError';
  readonly statusCode: number;
  constructor(statusCode: number, request: string, body: string) {
    super(`${request} answered ${statusCode}: ${body.slice(0, 300)}`);
    this.statusCode = statusCode;
  }
}

interface Connection {
  readonly origin: string;
  readonly pathPrefix: string;
  readonly headers: Record<string, string>;
  readonly tls: {
    ca?: string | Buffer;
    cert?: string | Buffer;
    key?: string | Buffer;
    rejectUnauthorized?: boolean;
  };
}

async function connectionOf(kubeConfig: KubeConfig): Promise<Connection> {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null)
    throw new Error(`kubeconfig context "${kubeConfig.getCurrentContext()}" has no cluster`);
  const url = new URL(cluster.server);
  const options: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  }
  const tls: Connection['tls'] = {};
  if (options.ca !== undefined) tls.ca = options.ca as string | Buffer;
  if (options.cert !== undefined) tls.cert = options.cert as string | Buffer;
  if (options.key !== undefined) tls.key = options.key as string | Buffer;
  if (options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options.rejectUnauthorized;
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/$/, ''), headers, tls };
}

export async function createBareUndiciClient(kubeConfig: KubeConfig): Promise<BareClient> {
  const connection = await connectionOf(kubeConfig);
  const pool = new Pool(connection.origin, { connect: connection.tls });
  const jsonHeaders = { ...connection.headers, 'content-type': 'application/json' };
  return {
    name: 'bare undici',
    async send(method, path, body, contentType) {
      const headers =
        body === undefined
          ? connection.headers
          : contentType === undefined
            ? jsonHeaders
            : { ...connection.headers, 'content-type': contentType };
      const response = await pool.request({
        method,
        path: connection.pathPrefix + path,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new BareHttpError(response.statusCode, `${method} ${path}`, text);
      return JSON.parse(text) as unknown;
    },
    close: () => pool.close(),
  };
}

/**
 * A bare watch: one streaming GET, newline-delimited JSON events parsed and handed to
 * `onEvent` as they arrive. Resolves when the server ends the stream or `signal` aborts.
 */
export async function bareWatch(
  kubeConfig: KubeConfig,
  path: string,
  onEvent: (event: { type: string; object: unknown }) => void,
  signal: AbortSignal,
): Promise<void> {
  const connection = await connectionOf(kubeConfig);
  const pool = new Pool(connection.origin, { connect: connection.tls });
  try {
    const response = await pool.request({
      method: 'GET',
      path: connection.pathPrefix + path,
      headers: connection.headers,
      signal,
    });
    if (response.statusCode >= 300) {
      throw new BareHttpError(response.statusCode, `GET ${path}`, await response.body.text());
    }
    let pending = '';
    response.body.setEncoding('utf8');
    for await (const chunk of response.body as AsyncIterable<string>) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.length > 0) onEvent(JSON.parse(line) as { type: string; object: unknown });
        newline = pending.indexOf('\n');
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    await pool.destroy();
  }
}

export async function createBareFetchClient(kubeConfig: KubeConfig): Promise<BareClient> {
  const connection = await connectionOf(kubeConfig);
  const agent = new Agent({ connect: connection.tls });
  const jsonHeaders = { ...connection.headers, 'content-type': 'application/json' };
  return {
    name: 'bare fetch',
    async send(method, path, body, contentType) {
      const init = {
        method,
        headers:
          body === undefined
            ? connection.headers
            : contentType === undefined
              ? jsonHeaders
              : { ...connection.headers, 'content-type': contentType },
        dispatcher: agent,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      const response = await fetch(connection.origin + connection.pathPrefix + path, init);
      if (response.status >= 300)
        throw new BareHttpError(response.status, `${method} ${path}`, await response.text());
      return await response.json();
    },
    close: () => agent.close(),
  };
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight; rejects with the first failure. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Runs `task(0, 1, ...)` with `concurrency` in flight until `durationMs` has passed (tasks in
 * flight then finish); resolves to the number of tasks completed.
 */
export async function runForDuration(
  durationMs: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let next = 0;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await task(next++);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return completed;
}
