/**
 * The webhook server: one HTTPS listener serving admission endpoints (one path each) and one
 * ConversionReview endpoint for every registered kind. The manager runs it on every replica,
 * leader or not: the API server calls whichever replica its Service routes to.
 *
 * Guarantees:
 * - Every request gets a well-formed answer: a malformed review, an unknown path, kind or
 *   version, a handler that throws or outlives its timeout are answered with a denial or an
 *   error response the API server understands (it then applies the webhook's
 *   `failurePolicy`), logged with the request's uid and counted in
 *   `kubeforge_webhook_failures_total`. Nothing a request does stops the server.
 * - Certificates are swapped in place when the source publishes a new pair: connections
 *   opened afterwards use it, open ones finish on the old one.
 * - `ready()` is true only once the listener completes a TLS handshake with itself.
 * - `close()` stops accepting, lets in-flight requests finish (up to `shutdownTimeoutMs`),
 *   then closes what is left.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import type { Logger } from '../log/logger.ts';
import { createLogger, errorFields } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { WebhookMetrics } from '../metrics/sinks.ts';
import { noopWebhookMetrics } from '../metrics/sinks.ts';
import type { AdmissionWebhook } from './admission.ts';
import { checkPath } from './admission.ts';
import type { CertificateSource } from './certs/source.ts';
import type { ConversionWebhook } from './conversion.ts';
import { answerAdmission, answerConversion, type Answer } from './handle.ts';
import { WebhookError } from './review.ts';

export type WebhookRegistration = AdmissionWebhook | ConversionWebhook;

export interface WebhookServerOptions {
  /** TCP port; `0` picks a free one. controller-runtime's default is 9443. */
  readonly port: number;
  /** Interface to bind; default all interfaces. */
  readonly host?: string;
  readonly certificates: CertificateSource;
  readonly webhooks?: readonly WebhookRegistration[];
  /** Where ConversionReviews are served; default `/convert` (kubebuilder's). */
  readonly conversionPath?: string;
  /** A handler that has not answered after this long gets an error answer; default 9 000 ms. */
  readonly handlerTimeoutMs?: number;
  /** Larger request bodies are refused; default 7 MiB (the API server's own limit is 3 MiB objects). */
  readonly maxRequestBytes?: number;
  readonly shutdownTimeoutMs?: number;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

export interface WebhookServer {
  readonly port: number;
  /** `https://host:port`. */
  readonly url: string;
  /** The served paths, admission ones and the conversion one. */
  readonly paths: readonly string[];
  /** True once the listener completes a TLS handshake. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Registers webhooks into routing tables, refusing duplicates with a message naming both. */
export class WebhookRoutes {
  readonly admission = new Map<string, AdmissionWebhook>();
  readonly conversion = new Map<string, ConversionWebhook>();
  add(webhook: WebhookRegistration): void {
    switch (webhook.type) {
      case 'admission': {
        const existing = this.admission.get(webhook.path);
        if (existing !== undefined) {
          throw new WebhookError(
            'InvalidRegistration',
            `two webhooks serve ${webhook.path}: "${existing.name}" and "${webhook.name}"; give one another path`,
          );
        }
        this.admission.set(webhook.path, webhook);
        return;
      }
      case 'conversion': {
        const key = `${webhook.kind}.${webhook.group}`;
        if (this.conversion.has(key)) {
          throw new WebhookError('InvalidRegistration', `conversion for ${key} is registered twice`);
        }
        this.conversion.set(key, webhook);
        return;
      }
      default:
        throw new WebhookError(
          'InvalidRegistration',
          `unknown webhook type ${JSON.stringify((webhook as { type?: unknown }).type)}; use defaulting(), validating(), admission() or conversion()`,
        );
    }
  }
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const logger = options.logger ?? createLogger({ name: 'webhook' });
  const routes = new WebhookRoutes();
  for (const webhook of options.webhooks ?? []) routes.add(webhook);
  const conversionPath = checkPath(options.conversionPath ?? '/convert');
  const timeoutMs = options.handlerTimeoutMs ?? 9_000;
  const maxBytes = options.maxRequestBytes ?? 7 * 1024 * 1024;
  const sinks = new Map<string, WebhookMetrics>();
  const sink = (path: string): WebhookMetrics => {
    let s = sinks.get(path);
    if (s === undefined) {
      s = options.metrics?.webhook(path) ?? noopWebhookMetrics;
      sinks.set(path, s);
    }
    return s;
  };
  for (const path of routes.admission.keys()) sink(path);
  if (routes.conversion.size > 0) sink(conversionPath);

  if (routes.conversion.size > 0 && routes.admission.has(conversionPath)) {
    throw new WebhookError(
      'InvalidRegistration',
      `admission webhook "${routes.admission.get(conversionPath)?.name ?? ''}" is served at ${conversionPath}, the conversion path; give it another path or set conversionPath`,
    );
  }
  const paths = [...routes.admission.keys(), ...(routes.conversion.size > 0 ? [conversionPath] : [])];
  const stop = new AbortController();
  await options.certificates.start(stop.signal);
  const first = options.certificates.current();
  if (first === undefined) {
    throw new WebhookError(
      'CertificateInvalid',
      'startWebhookServer: the certificate source started without a certificate',
    );
  }
  const server: Server = createServer({ cert: first.cert, key: first.key, keepAlive: true }, (req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A crash guard: nothing a request does may stop the process.
      logger.error('webhook request crashed', { url: req.url, error: errorFields(error) });
      reply(res, 500, { 'content-type': 'text/plain' }, 'internal error\n');
    });
  });
  // The API server's client keeps idle connections up to 90 s; closing them first from this
  // side races with a request being sent on them, which then fails. Let the client close.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  const unsubscribe = options.certificates.subscribe((pair) => {
    try {
      server.setSecureContext({ cert: pair.cert, key: pair.key });
      logger.info('webhook serving certificate reloaded', {});
    } catch (error) {
      logger.error('webhook serving certificate rejected; keeping the previous one', {
        error: errorFields(error),
      });
    }
  });
  server.on('tlsClientError', (error) =>
    logger.debug('webhook TLS handshake failed', { error: errorFields(error) }),
  );

  let inFlight = 0;
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const admission = routes.admission.get(path);
    const isConversion = path === conversionPath && routes.conversion.size > 0;
    if (admission === undefined && !isConversion) {
      reply(
        res,
        404,
        { 'content-type': 'text/plain' },
        `no webhook is served at ${path}; served: ${paths.join(', ')}\n`,
      );
      return;
    }
    const metrics = sink(path);
    const started = performance.now();
    metrics.inFlight(1);
    inFlight++;
    let answer: Answer;
    try {
      answer = await readAndAnswer(req, path, admission);
    } catch (error) {
      // Should not happen (answer* never throw), but a crash guard keeps the server up.
      answer = {
        status: 500,
        body: { message: String(error) },
        failure: { reason: 'HandlerFailed', message: String(error) },
      };
    }
    if (answer.failure !== undefined) {
      metrics.failed(answer.failure.reason);
      logger.warn('webhook request failed', {
        webhook: path,
        uid: answer.uid,
        reason: answer.failure.reason,
        error: answer.failure.message,
      });
    }
    reply(res, answer.status, { 'content-type': 'application/json' }, JSON.stringify(answer.body));
    metrics.answered(answer.status, (performance.now() - started) / 1000);
    metrics.inFlight(-1);
    inFlight--;
  }

  async function readAndAnswer(
    req: IncomingMessage,
    path: string,
    admission: AdmissionWebhook | undefined,
  ): Promise<Answer> {
    const problem = requestProblem(req);
    const body = problem === undefined ? await readBody(req, maxBytes) : { error: problem };
    if (admission !== undefined) return answerAdmission(admission, body, timeoutMs);
    return answerConversion(routes.conversion, body, timeoutMs);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) =>
        reject(
          new WebhookError(
            'ListenFailed',
            `webhook server: cannot listen on ${options.host ?? '*'}:${options.port}: ${error.message}`,
            { cause: error },
          ),
        ),
      );
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    unsubscribe();
    await options.certificates.stop();
    throw error;
  }
  server.on('error', (error) => logger.error('webhook server error', { error: errorFields(error) }));
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  logger.info('serving webhooks', { port: address.port, paths });

  let closing: Promise<void> | undefined;
  return {
    port: address.port,
    url: `https://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    paths,
    ready: () => handshake(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, address.port),
    close() {
      closing ??= (async () => {
        stop.abort();
        unsubscribe();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = Date.now() + (options.shutdownTimeoutMs ?? 10_000);
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await closed;
        await options.certificates.stop();
      })();
      return closing;
    },
  };
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}

function requestProblem(req: IncomingMessage): string | undefined {
  if (req.method !== 'POST') return `method ${req.method ?? ''} is not allowed; webhooks take POST`;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  if (type !== 'application/json')
    return `content type ${JSON.stringify(type)} is not supported; send application/json`;
  return undefined;
}

async function readBody(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ json: unknown } | { error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        req.resume();
        return { error: `the request body is larger than ${maxBytes} bytes` };
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    return { error: `reading the request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch (error) {
    return {
      error: `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function handshake(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, rejectUnauthorized: false, servername: 'localhost' }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}
