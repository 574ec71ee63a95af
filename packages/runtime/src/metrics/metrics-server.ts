/**
 * The `/metrics` endpoint on its own port, as controller-runtime's metrics server: secure by
 * default, HTTPS with a serving certificate from a `CertificateSource` (files mounted by
 * cert-manager, reloaded in place, or a self-signed pair made at start-up, as
 * controller-runtime makes when given no certificate directory), and every scrape
 * authenticated and authorized by a `ScrapeAuthorizer` (TokenReview + SubjectAccessReview;
 * see `review-authorizer.ts`). No token: 401. A user RBAC does not allow `get` on
 * `/metrics`: 403. A review that could not be made: 500, and logged. Only `secure: false`
 * serves plain HTTP without authentication (local development, tests).
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type { Registry } from 'prom-client';
import { hostname } from 'node:os';
import { createCertificateAuthority, issueServingCertificate } from '../webhook/certs/authority.ts';
import { staticCertificates } from '../webhook/certs/file-source.ts';
import type { CertificateSource } from '../webhook/certs/source.ts';
import type { ScrapeAuthorizer } from './review-authorizer.ts';

export interface MetricsServerOptions {
  /** TCP port; `0` picks a free one. */
  readonly port: number;
  /** Interface to bind; default all interfaces. */
  readonly host?: string;
  readonly registry: Registry;
  /** HTTPS with authentication and authorization; `false` serves plain HTTP to anyone. */
  readonly secure:
    { readonly certificates: CertificateSource; readonly authorizer: ScrapeAuthorizer } | false;
  readonly logger?: {
    warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
    error(message: string, fields?: Readonly<Record<string, unknown>>): void;
  };
}

export interface MetricsServer {
  readonly port: number;
  /** `https://host:port` (or `http://` when not secure), for tests and logs. */
  readonly url: string;
  close(): Promise<void>;
}

export class MetricsServerError extends Error {
  readonly reason: 'ListenFailed' | 'NoCertificate';
  constructor(reason: MetricsServerError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricsServerError';
    this.reason = reason;
  }
}

/**
 * A self-signed serving certificate made in memory, for `hosts` (default localhost,
 * 127.0.0.1 and the host name), valid a year: what controller-runtime serves without a
 * certificate directory. Scrapers cannot verify it (kubebuilder's ServiceMonitor sets
 * `insecureSkipVerify`); mount a cert-manager certificate to verify the server.
 */
export function selfSignedMetricsCertificates(
  hosts: readonly string[] = ['localhost', '127.0.0.1', hostname()],
): CertificateSource {
  const ca = createCertificateAuthority({ commonName: 'kubeforge-metrics-ca' });
  return staticCertificates(issueServingCertificate(ca, { hosts }));
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, logger, secure } = options;
  const stop = new AbortController();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (path !== '/metrics') {
      send(req, res, 404, '404 page not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    if (secure !== false) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const decision = await secure.authorizer.authorize({ token, verb: 'get', path });
      switch (decision.outcome) {
        case 'allowed':
          break;
        case 'unauthenticated': {
          send(req, res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Bearer' });
          return;
        }
        case 'forbidden': {
          send(req, res, 403, `Authorization denied for user ${decision.user.username}\n`);
          return;
        }
        case 'failed':
          logger?.error('metrics scrape could not be authorized', { error: decision.error.message });
          {
            send(req, res, 500, 'Internal Server Error\n');
            return;
          }
        default:
          decision satisfies never;
      }
    }
    try {
      const body = await registry.metrics();
      send(req, res, 200, body, { 'Content-Type': registry.contentType });
      return;
    } catch (error) {
      logger?.warn('metrics scrape failed', { error: (error as Error).message });
      send(req, res, 500, 'failed to collect metrics\n');
      return;
    }
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      logger?.error('metrics request crashed', { error: (error as Error).message });
      if (!res.headersSent) send(req, res, 500, 'Internal Server Error\n');
      else res.destroy();
    });
  };

  let server: Server;
  let unsubscribe = (): void => undefined;
  if (secure === false) {
    server = createHttpServer(listener);
  } else {
    await secure.certificates.start(stop.signal);
    const first = secure.certificates.current();
    if (first === undefined) {
      throw new MetricsServerError(
        'NoCertificate',
        'startMetricsServer: the certificate source started without a certificate',
      );
    }
    const https = createHttpsServer({ cert: first.cert, key: first.key }, listener);
    unsubscribe = secure.certificates.subscribe((pair) => {
      try {
        https.setSecureContext({ cert: pair.cert, key: pair.key });
      } catch (error) {
        logger?.error('metrics serving certificate rejected; keeping the previous one', {
          error: (error as Error).message,
        });
      }
    });
    server = https;
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new MetricsServerError(
          'ListenFailed',
          `startMetricsServer: cannot listen on ${options.host ?? '*'}:${options.port}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch(async (error: unknown) => {
    unsubscribe();
    if (secure !== false) await secure.certificates.stop();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    port: address.port,
    url: `${secure === false ? 'http' : 'https'}://${host}:${address.port}`,
    async close() {
      stop.abort();
      unsubscribe();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      if (secure !== false) await secure.certificates.stop();
    },
  };
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
