/**
 * The health endpoints an operator's Pod exposes to the kubelet: `/healthz` (liveness) and
 * `/readyz` (readiness), plain HTTP without authentication, nothing else (metrics have their
 * own, authenticated server: `metrics-server.ts`). Health endpoints follow the Kubernetes API
 * server's conventions: named checks, `?verbose` lists each one, `?exclude=<name>` skips
 * one, `/healthz/<name>` runs one alone; failures answer 500 and withhold the reason from
 * the aggregate (it is logged, and shown by the single-check endpoint) unless the check threw
 * a {@link HealthCheckError}, whose message is written to be shown: e.g.
 * `[-]informers failed: pods.v1 not synced: listing, last failure list Forbidden`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A named health check: passes when it returns (or resolves to) anything but `false`;
 * fails when it returns `false`, throws, rejects, or takes longer than the check timeout.
 */
export type HealthCheck = () => unknown;

export interface ProbeServerOptions {
  /** TCP port; `0` picks a free one (read it back from `port`). */
  readonly port: number;
  /** Interface to bind; default all interfaces. */
  readonly host?: string;
  readonly healthz?: Readonly<Record<string, HealthCheck>>;
  readonly readyz?: Readonly<Record<string, HealthCheck>>;
  /** A check that has not settled after this long fails (default 10 000 ms). */
  readonly checkTimeoutMs?: number;
  /** Told about failing checks and scrape errors (a `Logger` fits). */
  readonly logger?: { warn(message: string, fields?: Readonly<Record<string, unknown>>): void };
}

export interface ProbeServer {
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  /** `http://host:port`, for tests and logs. */
  readonly url: string;
  /** Adds or replaces a liveness check. */
  addHealthzCheck(name: string, check: HealthCheck): void;
  /** Adds or replaces a readiness check. */
  addReadyzCheck(name: string, check: HealthCheck): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * A failed check's explanation that is safe to show anyone who can reach the probe port: it
 * names what is not ready and why, in terms that carry no secret (reasons and codes, never
 * server messages, URLs or credentials). Other errors' messages stay withheld from `/readyz`.
 */
export class HealthCheckError extends Error {
  override readonly name = 'HealthCheckError';
}

export class ProbeServerError extends Error {
  readonly reason: 'ListenFailed' | 'InvalidCheckName';
  constructor(reason: ProbeServerError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProbeServerError';
    this.reason = reason;
  }
}

interface CheckOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  /** Shown in the aggregate: the failure was a HealthCheckError. */
  readonly shown?: boolean;
}

const checkName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const timeoutMs = options.checkTimeoutMs ?? 10_000;
  const endpoints = {
    healthz: new Map<string, HealthCheck>(),
    readyz: new Map<string, HealthCheck>(),
  };
  const addCheck = (endpoint: 'healthz' | 'readyz', name: string, check: HealthCheck): void => {
    if (!checkName.test(name)) {
      throw new ProbeServerError(
        'InvalidCheckName',
        `startProbeServer: check name "${name}" for /${endpoint} must be letters, digits, '.', '_' or '-' (it becomes the path /${endpoint}/${name})`,
      );
    }
    endpoints[endpoint].set(name, check);
  };
  for (const [name, check] of Object.entries(options.healthz ?? {})) addCheck('healthz', name, check);
  for (const [name, check] of Object.entries(options.readyz ?? {})) addCheck('readyz', name, check);

  const runCheck = async (name: string, check: HealthCheck): Promise<CheckOutcome> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        Promise.resolve().then(check),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return result === false ? { name, ok: false, error: 'check returned false' } : { name, ok: true };
    } catch (err) {
      return { name, ok: false, error: messageOf(err), shown: err instanceof HealthCheckError };
    } finally {
      clearTimeout(timer);
    }
  };

  const serveHealth = async (endpoint: 'healthz' | 'readyz', rest: string, url: URL): Promise<Reply> => {
    const checks = endpoints[endpoint];
    if (rest !== '') {
      const check = checks.get(rest);
      if (check === undefined)
        return reply(404, `404 page not found: no ${endpoint} check named "${rest}"\n`);
      const outcome = await runCheck(rest, check);
      if (outcome.ok) return reply(200, 'ok');
      options.logger?.warn(`${endpoint} check failed`, { check: rest, error: outcome.error });
      return reply(500, `internal server error: ${outcome.error ?? ''}\n`);
    }
    const excluded = new Set(url.searchParams.getAll('exclude'));
    const selected = [...checks].filter(([name]) => !excluded.has(name));
    const outcomes =
      checks.size === 0
        ? [{ name: 'ping', ok: true }]
        : await Promise.all(selected.map(([name, check]) => runCheck(name, check)));
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) {
      options.logger?.warn(`${endpoint} check failed`, { check: o.name, error: o.error });
    }
    const lines = outcomes.map((o) =>
      o.ok
        ? `[+]${o.name} ok`
        : `[-]${o.name} failed: ${o.shown === true ? oneLine(o.error ?? '') : 'reason withheld'}`,
    );
    for (const name of excluded) if (checks.has(name)) lines.push(`[+]${name} excluded: ok`);
    if (failed.length > 0) return reply(500, `${lines.join('\n')}\n${endpoint} check failed\n`);
    if (!url.searchParams.has('verbose')) return reply(200, 'ok');
    return reply(200, `${lines.join('\n')}\n${endpoint} check passed\n`);
  };

  const route = async (req: IncomingMessage): Promise<Reply> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { ...reply(405, 'method not allowed\n'), allow: 'GET, HEAD' };
    }
    const url = new URL(req.url ?? '/', 'http://probe');
    const [, first = '', ...rest] = url.pathname.split('/');
    if (first === 'healthz' || first === 'readyz') return serveHealth(first, rest.join('/'), url);
    return reply(404, '404 page not found\n');
  };

  const server = createServer((req, res) => {
    route(req)
      .catch((err: unknown): Reply => {
        options.logger?.warn('probe request failed', { error: messageOf(err) });
        return reply(500, 'internal server error\n');
      })
      .then(
        (r) => {
          send(req, res, r);
        },
        (err: unknown) => {
          options.logger?.warn('probe response failed', { error: messageOf(err) });
          res.destroy();
        },
      );
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        new ProbeServerError(
          'ListenFailed',
          `startProbeServer: cannot listen on ${options.host ?? '*'}:${options.port}: ${err.message}`,
          { cause: err },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    port: address.port,
    url: `http://${host}:${address.port}`,
    addHealthzCheck: (name, check) => addCheck('healthz', name, check),
    addReadyzCheck: (name, check) => addCheck('readyz', name, check),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly allow?: string;
}

function reply(status: number, body: string, contentType = 'text/plain; charset=utf-8'): Reply {
  return { status, body, contentType };
}

function send(req: IncomingMessage, res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, {
    'Content-Type': r.contentType,
    'Content-Length': Buffer.byteLength(r.body),
    'X-Content-Type-Options': 'nosniff',
    ...(r.allow === undefined ? {} : { Allow: r.allow }),
  });
  res.end(req.method === 'HEAD' ? undefined : r.body);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
