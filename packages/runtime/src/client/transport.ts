/**
 * HTTP transport to one API server: keep-alive connections through an undici `Pool`, TLS and
 * credentials from `@kubernetes/client-node`'s `KubeConfig` (client certificates, tokens, exec
 * plugins, in-cluster service account), request timeouts and error classification.
 *
 * Credentials are derived once and cached. For users whose credentials can change (exec
 * plugins, token files, auth providers) they are re-derived at most every
 * `authRefreshIntervalMs`, and once more when the server answers 401; the request is then
 * retried once if the credentials changed. Static credentials cost nothing per request.
 * A token file (the in-cluster service account token, or an auth provider's `tokenFile`) is
 * read by the transport itself on every re-derivation: client-node caches it for 60 s, which
 * would delay recovery after the kubelet rotates it.
 *
 * Watches (`open` with `watch: true`) travel over HTTP/2 when the server offers it (every
 * kube-apiserver does), multiplexed on one connection that is pinged every
 * `watchPingIntervalMs`: a ping left unanswered until the next one resets the connection, so
 * a connection that died silently (NAT or load balancer forgot it, hung peer) ends every
 * watch on it with a `NetworkError` within two intervals (15-30 s by default), whether or not
 * the server sends bookmarks. This is what client-go gets from HTTP/2 `ReadIdleTimeout` and
 * `PingTimeout`. Other requests stay on HTTP/1.1 keep-alive connections (undici's fastest
 * path), which TCP keep-alive probes after 30 s idle.
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions as HttpsRequestOptions } from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Http2Stream } from 'node:http2';
import { buildConnector, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { ApiError, ClientUsageError, NetworkError } from './errors.ts';
import { sleep } from './retry.ts';

export interface TransportOptions {
  /** Default timeout for non-watch requests: no headers, or no body bytes, for this long. Default 30 s. */
  readonly timeoutMs?: number;
  /** Default `kubeforge/<version>`. */
  readonly userAgent?: string;
  /** How often changeable credentials (exec plugins, token files) are re-derived. Default 10 s. */
  readonly authRefreshIntervalMs?: number;
  /** Maximum concurrent connections; default unlimited (every open watch holds one). */
  readonly maxConnections?: number;
  /**
   * How often a request answered with 429 or 5xx plus a Retry-After header is retried after
   * the advised wait (as client-go does; the server asked for it). Default 10; 0 disables.
   * Watches are never retried here: the watcher owns their backoff.
   */
  readonly maxRetries?: number;
  /** Called with each `Warning` header the server sends (deprecations, unknown fields). */
  readonly onWarning?: (warning: string, request: string) => void;
  /**
   * Watches share an HTTP/2 connection pinged this often; a ping unanswered by the next one
   * resets the connection (dead-connection detection within 1-2 intervals). Default 15 000 ms.
   * `0` sends watches over HTTP/1.1 without pings (then only the watcher's idle timeout
   * notices a silently dead connection). Ignored through an HTTP proxy (`proxy-url`).
   */
  readonly watchPingIntervalMs?: number;
}

/** A response read to the end. */
export interface BufferedResponse {
  readonly statusCode: number;
  readonly body: string;
  /** The Retry-After header, if any (for 429 and 503). */
  readonly retryAfter: string | undefined;
  /** `METHOD path` (without the query), for error messages. */
  readonly request: string;
}

/** A response whose body is still streaming (2xx only; failures throw). */
export interface StreamingResponse {
  readonly statusCode: number;
  readonly body: Readable;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, relative to the server URL (which may carry a path prefix). */
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  /**
   * The Accept header; default `application/json`. E.g. metadata-only reads ask for
   * `application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`.
   */
  readonly accept?: string | undefined;
  /** A watch: sent over the pinged HTTP/2 connection (see the module comment). */
  readonly watch?: boolean | undefined;
}

/** A streamed request: a watch (no body timeout) or a list read as it arrives. */
export interface StreamRequest extends HttpRequest {
  readonly method: 'GET';
  /** No body bytes for this long fails the read; default none (a watch may be quiet for minutes). */
  readonly bodyTimeoutMs?: number | undefined;
}

/** Connection counts of a transport, for metrics and tests. */
export interface TransportStats {
  /** Open connections. */
  readonly connected: number;
  /** Open connections without a request in flight (kept alive for reuse). */
  readonly idle: number;
  /** Requests in flight, including open watches. */
  readonly running: number;
  /** Requests waiting for a connection. */
  readonly queued: number;
}

/**
 * One request as metrics see it (client-go's `rest_client_*` metrics): the HTTP method, the
 * server's `host:port`, the status code or `<error>` when no answer came, and the time until
 * the response headers arrived (a watch counts once, when its stream opens).
 */
export interface ObservedRequest {
  readonly method: string;
  readonly host: string;
  readonly code: string;
  readonly seconds: number;
}

/** Told about every request a transport sends, retries included; must not throw. */
export type RequestObserver = (request: ObservedRequest) => void;

/** The connection to one API server, shared by every resource client built from the same KubeConfig. */
export interface Transport {
  readonly timeoutMs: number;
  /** Current connection counts; undefined before the first request or when going through a proxy. */
  stats(): TransportStats | undefined;
  /** Sends a request and reads the whole response; non-2xx statuses are returned, not thrown. */
  send(request: HttpRequest): Promise<BufferedResponse>;
  /**
   * Sends a request and returns the streaming body; a non-2xx status throws `ApiError`. A
   * kept-alive connection found closed before the answer is replaced once, as in `send`.
   */
  open(request: StreamRequest): Promise<StreamingResponse>;
  /** Calls `observer` after every request from now on; returns a function that stops it. */
  observe(observer: RequestObserver): () => void;
  /** Stops accepting requests, waits for in-flight ones (including open watches) and closes the connections. */
  close(): Promise<void>;
  /** Stops accepting requests and aborts in-flight ones (open watches end with a NetworkError). */
  destroy(): Promise<void>;
}

const packageVersion = ((): string => {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

export const DEFAULT_USER_AGENT = `kubeforge/${packageVersion} (node ${process.version})`;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_AUTH_REFRESH_MS = 10_000;
const JSON_TYPE = 'application/json';
const DEFAULT_MAX_RETRIES = 10;
const DEFAULT_WATCH_PING_INTERVAL_MS = 15_000;
/** Longest Retry-After wait honoured per retry. */
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * client-go's `checkWait`: a 429 or 5xx response carrying an integer Retry-After header is
 * retried after that many seconds (capped at 60 s). Anything else is final.
 */
export function retryAfterDelayMs(statusCode: number, retryAfter: string | undefined): number | undefined {
  if (retryAfter === undefined || (statusCode !== 429 && statusCode < 500)) return undefined;
  const seconds = Number(retryAfter.trim());
  if (!Number.isInteger(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000;
}

interface TlsMaterial {
  readonly ca?: Buffer | string | undefined;
  readonly cert?: Buffer | string | undefined;
  readonly key?: Buffer | string | undefined;
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
}

/** What the KubeConfig says about the current context, derived through client-node. */
interface Credentials {
  readonly tls: TlsMaterial;
  /** Authorization and impersonation headers, lowercased. */
  readonly headers: Readonly<Record<string, string>>;
}

interface ConnectionState {
  readonly credentials: Credentials;
  readonly dispatcher: Dispatcher;
  /** Where watches go: the pinged HTTP/2 pool, or `dispatcher` when pings are off. */
  readonly watchDispatcher: Dispatcher;
  /** Request headers by content type (`''` for requests without a body) and Accept header. */
  readonly headers: Map<string, Record<string, string>>;
  readonly derivedAt: number;
}

/** The token file the current user's auth provider reads (in-cluster: the service account token). */
function tokenFileOf(kubeConfig: KubeConfig): string | undefined {
  const config = (
    kubeConfig.getCurrentUser()?.authProvider as { config?: { tokenFile?: unknown } } | undefined
  )?.config;
  return typeof config?.tokenFile === 'string' && config.tokenFile !== '' ? config.tokenFile : undefined;
}

/** Credentials that can change over time need periodic re-derivation. */
function hasChangeableCredentials(kubeConfig: KubeConfig): boolean {
  const user = kubeConfig.getCurrentUser();
  return user !== null && (user.exec !== undefined || user.authProvider !== undefined);
}

async function deriveCredentials(kubeConfig: KubeConfig): Promise<Credentials> {
  const options: HttpsRequestOptions = {};
  try {
    await kubeConfig.applyToHTTPSOptions(options);
  } catch (error) {
    throw new ClientUsageError(
      'KubeConfig',
      `could not derive credentials for context "${kubeConfig.getCurrentContext()}": ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const tokenFile = tokenFileOf(kubeConfig);
  if (tokenFile !== undefined) {
    try {
      const token = readFileSync(tokenFile, 'utf8').trim();
      if (token !== '') headers.authorization = `Bearer ${token}`;
    } catch (error) {
      throw new ClientUsageError(
        'KubeConfig',
        `could not read the token file "${tokenFile}" of context "${kubeConfig.getCurrentContext()}": ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return {
    tls: {
      ca: options.ca as Buffer | string | undefined,
      cert: options.cert as Buffer | string | undefined,
      key: options.key as Buffer | string | undefined,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    },
    headers,
  };
}

function sameMaterial(a: Buffer | string | undefined, b: Buffer | string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return Buffer.from(a).equals(Buffer.from(b));
}

function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  return (
    sameMaterial(a.ca, b.ca) &&
    sameMaterial(a.cert, b.cert) &&
    sameMaterial(a.key, b.key) &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.servername === b.servername
  );
}

function sameHeaders(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/**
 * Creates a transport for the current context of `kubeConfig`. Most code does not need this:
 * resource clients share one transport per KubeConfig automatically.
 */
export function createTransport(kubeConfig: KubeConfig, options: TransportOptions = {}): Transport {
  return new PoolTransport(kubeConfig, options);
}

const sharedTransports = new WeakMap<KubeConfig, Map<string, Transport>>();

/** The transport shared by clients of `kubeConfig`'s current context. */
export function sharedTransport(kubeConfig: KubeConfig): Transport {
  let byContext = sharedTransports.get(kubeConfig);
  if (byContext === undefined) {
    byContext = new Map();
    sharedTransports.set(kubeConfig, byContext);
  }
  const context = kubeConfig.getCurrentContext();
  let transport = byContext.get(context);
  if (transport === undefined) {
    transport = createTransport(kubeConfig);
    byContext.set(context, transport);
  }
  return transport;
}

class PoolTransport implements Transport {
  readonly timeoutMs: number;
  readonly #kubeConfig: KubeConfig;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #proxyUrl: string | undefined;
  readonly #userAgent: string;
  readonly #changeable: boolean;
  readonly #refreshMs: number;
  readonly #maxConnections: number | undefined;
  readonly #maxRetries: number;
  readonly #watchPingIntervalMs: number;
  readonly #onWarning: ((warning: string, request: string) => void) | undefined;
  readonly #host: string;
  readonly #observers = new Set<RequestObserver>();
  #state: ConnectionState | undefined;
  #deriving: Promise<ConnectionState> | undefined;
  #closed = false;

  constructor(kubeConfig: KubeConfig, options: TransportOptions) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) {
      throw new ClientUsageError(
        'KubeConfig',
        `the kubeconfig has no cluster for its current context "${kubeConfig.getCurrentContext()}"; set current-context or load a config`,
      );
    }
    let url: URL;
    try {
      url = new URL(cluster.server);
    } catch (error) {
      throw new ClientUsageError(
        'KubeConfig',
        `cluster "${cluster.name}" has an invalid server URL "${cluster.server}"`,
        {
          cause: error,
        },
      );
    }
    if (cluster.proxyUrl?.startsWith('socks')) {
      throw new ClientUsageError(
        'KubeConfig',
        `cluster "${cluster.name}": SOCKS proxies are not supported; use an HTTP(S) proxy`,
      );
    }
    this.#kubeConfig = kubeConfig;
    this.#origin = url.origin;
    this.#host = url.host;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#proxyUrl = cluster.proxyUrl;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#changeable = hasChangeableCredentials(kubeConfig);
    this.#refreshMs = options.authRefreshIntervalMs ?? DEFAULT_AUTH_REFRESH_MS;
    this.#maxConnections = options.maxConnections;
    this.#maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.#watchPingIntervalMs = options.watchPingIntervalMs ?? DEFAULT_WATCH_PING_INTERVAL_MS;
    if (!Number.isInteger(this.#watchPingIntervalMs) || this.#watchPingIntervalMs < 0) {
      throw new ClientUsageError(
        'InvalidOption',
        `watchPingIntervalMs must be a whole number of milliseconds >= 0, got ${String(options.watchPingIntervalMs)}; use 0 to turn watch pings off`,
      );
    }
    this.#onWarning = options.onWarning;
  }

  async send(request: HttpRequest): Promise<BufferedResponse> {
    const description = `${request.method} ${pathOnly(request.path)}`;
    let state = await this.#current();
    let renewedAuth = false;
    let resent = false;
    for (let retries = 0; ;) {
      let response: Dispatcher.ResponseData;
      let body: string;
      try {
        response = await this.#dispatch(state, request, description);
        try {
          body = await response.body.text();
        } catch (error) {
          throw this.#failure(error, request.signal, description);
        }
      } catch (error) {
        // A kept-alive connection the server closed meanwhile (e.g. an API server restart)
        // fails on first use; a read is safe to send once more on a fresh connection.
        if (!resent && request.method === 'GET' && isConnectionReset(error)) {
          resent = true;
          continue;
        }
        throw error;
      }
      if (response.statusCode === 401 && !renewedAuth && this.#changeable) {
        renewedAuth = true;
        const renewed = await this.#renewAfterUnauthorized(state);
        if (renewed !== undefined) {
          state = renewed;
          continue;
        }
      }
      const retryAfter = header(response.headers['retry-after']);
      const delay =
        retries < this.#maxRetries ? retryAfterDelayMs(response.statusCode, retryAfter) : undefined;
      if (delay !== undefined) {
        retries++;
        await sleep(delay, request.signal);
        state = await this.#current();
        continue;
      }
      return { statusCode: response.statusCode, body, retryAfter, request: description };
    }
  }

  async open(request: StreamRequest): Promise<StreamingResponse> {
    const description = `${request.method} ${pathOnly(request.path)}`;
    let state = await this.#current();
    let resent = false;
    for (let attempt = 0; ; attempt++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#dispatch(state, request, description, request.bodyTimeoutMs ?? 0);
      } catch (error) {
        if (!resent && isConnectionReset(error)) {
          resent = true;
          continue;
        }
        throw error;
      }
      if (response.statusCode >= 200 && response.statusCode < 300) {
        // The consumer reads errors through its iteration; one that arrives after it stopped
        // reading (a connection reset as the stream is released) must not become an uncaught
        // exception.
        response.body.on('error', ignoreLateError);
        return { statusCode: response.statusCode, body: response.body };
      }
      let body: string;
      try {
        body = await response.body.text();
      } catch (error) {
        throw this.#failure(error, request.signal, description);
      }
      if (response.statusCode === 401 && attempt === 0 && this.#changeable) {
        const renewed = await this.#renewAfterUnauthorized(state);
        if (renewed !== undefined) {
          state = renewed;
          continue;
        }
      }
      throw ApiError.fromResponse(
        response.statusCode,
        body,
        description,
        header(response.headers['retry-after']),
      );
    }
  }

  observe(observer: RequestObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  #observed(method: string, code: string, startedAt: number): void {
    if (this.#observers.size === 0) return;
    const event: ObservedRequest = {
      method,
      host: this.#host,
      code,
      seconds: (performance.now() - startedAt) / 1000,
    };
    for (const observer of this.#observers) observer(event);
  }

  stats(): TransportStats | undefined {
    const state = this.#state;
    if (state === undefined || !(state.dispatcher instanceof Pool)) return undefined;
    const pools =
      state.watchDispatcher === state.dispatcher
        ? [state.dispatcher]
        : [state.dispatcher, state.watchDispatcher];
    let connected = 0;
    let idle = 0;
    let running = 0;
    let queued = 0;
    for (const pool of pools) {
      if (!(pool instanceof Pool)) continue;
      connected += pool.stats.connected;
      idle += pool.stats.free;
      running += pool.stats.running;
      queued += pool.stats.queued;
    }
    return { connected, idle, running, queued };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const state = this.#state;
    this.#state = undefined;
    await state?.dispatcher.close();
    if (state !== undefined && state.watchDispatcher !== state.dispatcher)
      await state.watchDispatcher.close();
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    const state = this.#state;
    this.#state = undefined;
    await state?.dispatcher.destroy();
    if (state !== undefined && state.watchDispatcher !== state.dispatcher)
      await state.watchDispatcher.destroy();
  }

  async #dispatch(
    state: ConnectionState,
    request: HttpRequest,
    description: string,
    bodyTimeout: number = request.timeoutMs ?? this.timeoutMs,
  ): Promise<Dispatcher.ResponseData> {
    const timeout = request.timeoutMs ?? this.timeoutMs;
    let response: Dispatcher.ResponseData;
    const startedAt = performance.now();
    try {
      const dispatcher = request.watch === true ? state.watchDispatcher : state.dispatcher;
      response = await dispatcher.request({
        origin: this.#origin,
        path: this.#basePath + request.path,
        method: request.method,
        headers: this.#headersFor(state, request.contentType, request.accept),
        body: request.body ?? null,
        signal: request.signal ?? null,
        headersTimeout: timeout,
        bodyTimeout,
      });
    } catch (error) {
      this.#observed(request.method, '<error>', startedAt);
      throw this.#failure(error, request.signal, description);
    }
    this.#observed(request.method, String(response.statusCode), startedAt);
    if (this.#onWarning !== undefined) {
      const warning = response.headers.warning;
      if (warning !== undefined) {
        for (const text of Array.isArray(warning) ? warning : [warning]) this.#onWarning(text, description);
      }
    }
    return response;
  }

  #headersFor(
    state: ConnectionState,
    contentType: string | undefined,
    accept: string | undefined,
  ): Record<string, string> {
    const key = accept === undefined ? (contentType ?? '') : `${contentType ?? ''} ${accept}`;
    let headers = state.headers.get(key);
    if (headers === undefined) {
      headers = { ...state.credentials.headers, 'user-agent': this.#userAgent, accept: accept ?? JSON_TYPE };
      if (contentType !== undefined) headers['content-type'] = contentType;
      state.headers.set(key, headers);
    }
    return headers;
  }

  #failure(error: unknown, signal: AbortSignal | undefined, description: string): unknown {
    if (signal?.aborted) return signal.reason;
    if (error instanceof ApiError || error instanceof ClientUsageError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    // undici's argument errors are programming errors: surface them unchanged.
    if (code === 'UND_ERR_INVALID_ARG') return error;
    return NetworkError.from(error, description);
  }

  /** The connection state, re-deriving changeable credentials when they are due. */
  #current(): Promise<ConnectionState> | ConnectionState {
    const state = this.#state;
    if (state !== undefined && (!this.#changeable || performance.now() - state.derivedAt < this.#refreshMs)) {
      return state;
    }
    return this.#derive();
  }

  #derive(): Promise<ConnectionState> {
    if (this.#closed) return Promise.reject(new ClientUsageError('InvalidOption', 'the transport is closed'));
    this.#deriving ??= deriveCredentials(this.#kubeConfig)
      .then((credentials) => this.#install(credentials))
      .finally(() => {
        this.#deriving = undefined;
      });
    return this.#deriving;
  }

  /** Installs derived credentials, replacing the connection pool only when the TLS material changed. */
  #install(credentials: Credentials): ConnectionState {
    const previous = this.#state;
    let dispatcher: Dispatcher;
    let watchDispatcher: Dispatcher;
    if (previous !== undefined && sameTls(previous.credentials.tls, credentials.tls)) {
      dispatcher = previous.dispatcher;
      watchDispatcher = previous.watchDispatcher;
    } else {
      dispatcher = this.#createDispatcher(credentials.tls, false);
      watchDispatcher =
        this.#watchPingIntervalMs > 0 && this.#proxyUrl === undefined
          ? this.#createDispatcher(credentials.tls, true)
          : dispatcher;
      // In-flight requests (including watches) finish on the old pool. close() rejects only
      // when the pool was already destroyed, which leaves nothing to clean up.
      previous?.dispatcher.close().catch(() => undefined);
      if (previous !== undefined && previous.watchDispatcher !== previous.dispatcher) {
        previous.watchDispatcher.close().catch(() => undefined);
      }
    }
    const headers =
      previous?.dispatcher === dispatcher && sameHeaders(previous.credentials.headers, credentials.headers)
        ? previous.headers
        : new Map<string, Record<string, string>>();
    const state: ConnectionState = {
      credentials,
      dispatcher,
      watchDispatcher,
      headers,
      derivedAt: performance.now(),
    };
    this.#state = state;
    return state;
  }

  /** After a 401: re-derive now; returns the new state if credentials changed (worth one retry). */
  async #renewAfterUnauthorized(state: ConnectionState): Promise<ConnectionState | undefined> {
    const renewed = this.#state === state ? await this.#derive() : await this.#current();
    const changed =
      !sameHeaders(renewed.credentials.headers, state.credentials.headers) ||
      renewed.dispatcher !== state.dispatcher;
    return changed ? renewed : undefined;
  }

  #createDispatcher(tls: TlsMaterial, watches: boolean): Dispatcher {
    const connect = {
      ...definedOnly(tls),
      keepAlive: true,
      // Matches client-go and stays below common load-balancer idle timeouts.
      keepAliveInitialDelay: 30_000,
    };
    if (this.#proxyUrl !== undefined) {
      return new ProxyAgent({ uri: this.#proxyUrl, requestTls: connect });
    }
    if (watches) {
      const base = buildConnector({ ...connect, allowH2: true });
      sinkLateStreamErrors();
      return new Pool(this.#origin, {
        connect: (options, callback) => {
          base(options, (...args) => {
            // On a failed connect (a TLS handshake timed out on a stalled path) undici calls back
            // with the error alone: no socket, not even null.
            const [error, socket] = args;
            if (error === null) {
              (socket as { [watchSocketMark]?: true })[watchSocketMark] = true;
            }
            callback(...args);
          });
        },
        // HTTP/2 where the server offers it (ALPN); HTTP/1.1 otherwise, without pings.
        allowH2: true,
        h2Options: { pingInterval: this.#watchPingIntervalMs },
        keepAliveTimeout: 30_000,
        connections: this.#maxConnections ?? null,
      });
    }
    return new Pool(this.#origin, {
      connect,
      // HTTP/1.1: undici's fastest path for requests that read a whole response.
      allowH2: false,
      keepAliveTimeout: 30_000,
      connections: this.#maxConnections ?? null,
    });
  }
}

function ignoreLateError(): void {
  // See open() and sinkLateStreamErrors().
}

/** Marks the sockets of the watch pools: HTTP/2 streams on them get an error sink. */
const watchSocketMark = Symbol('kubeforge.watchSocket');
let sinking = false;

/**
 * undici 8 releases an HTTP/2 stream's listeners when its request ends, and Node can still
 * deliver the session's teardown error (the server closing an idle connection, "other side
 * closed") to that stream: with no listener, it would be an uncaught exception and, under the
 * manager's process-failure policy, a restart. Every HTTP/2 stream on a watch pool's socket
 * gets a no-op error listener when it is created (Node's `http2.client.stream.created`
 * channel); the request's own handlers still see every error while it runs.
 */
function sinkLateStreamErrors(): void {
  if (sinking) return;
  sinking = true;
  diagnosticsChannel.subscribe('http2.client.stream.created', (message) => {
    const stream = (message as { readonly stream?: Http2Stream }).stream;
    let socket: unknown;
    try {
      socket = stream?.session?.socket;
    } catch {
      return; // a session without a socket: not one of ours
    }
    if (stream !== undefined && typeof socket === 'object' && socket !== null && isWatchSocket(socket)) {
      stream.on('error', ignoreLateError);
    }
  });
}

/** The session's socket is a proxy of the real one; the mark is read through it. */
function isWatchSocket(socket: object): boolean {
  return (socket as { [watchSocketMark]?: true })[watchSocketMark] === true;
}

function isConnectionReset(error: unknown): boolean {
  return error instanceof NetworkError && error.reason === 'ConnectionReset';
}

function definedOnly(tls: TlsMaterial): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tls)) if (value !== undefined) result[key] = value;
  return result;
}

function pathOnly(path: string): string {
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
