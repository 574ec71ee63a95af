/**
 * Certificates from files, as cert-manager (or any Secret volume) mounts them: `tls.crt` and
 * `tls.key` in one directory by default. The files are watched (Kubernetes updates a Secret
 * volume by swapping a `..data` symlink, which shows as a change of the directory) and also
 * polled, since some filesystems send no events. A new pair is published only when the
 * certificate and key belong together and are valid; a half-written pair is retried on the
 * next change or poll, and the previous pair keeps serving meanwhile.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '../../log/logger.ts';
import { errorFields } from '../../log/logger.ts';
import { WebhookError } from '../review.ts';
import { checkPair, Subscribers, type CertificateSource, type ServingCertificate } from './source.ts';

export interface FileCertificateOptions {
  /** The directory holding the files, e.g. `/tmp/k8s-webhook-server/serving-certs` (controller-runtime's). */
  readonly dir: string;
  /** Default `tls.crt`. */
  readonly certFile?: string;
  /** Default `tls.key`. */
  readonly keyFile?: string;
  /** How often to re-read the files besides watching them; default 10 000 ms. */
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export function fileCertificates(options: FileCertificateOptions): CertificateSource {
  const certPath = join(options.dir, options.certFile ?? 'tls.crt');
  const keyPath = join(options.dir, options.keyFile ?? 'tls.key');
  const now = options.now ?? Date.now;
  const subscribers = new Subscribers<ServingCertificate>();
  let current: ServingCertificate | undefined;
  let watchers: FSWatcher[] = [];
  let poll: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let lastError = '';

  async function load(): Promise<ServingCertificate> {
    let pair: ServingCertificate;
    try {
      pair = { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
    } catch (error) {
      throw new WebhookError(
        'CertificateInvalid',
        `cannot read the webhook certificate: ${error instanceof Error ? error.message : String(error)} (expected ${certPath} and ${keyPath}; mount the Secret there or set certificates.dir)`,
        { cause: error },
      );
    }
    checkPair(pair, now(), `${certPath} and ${keyPath}`);
    return pair;
  }

  async function reload(): Promise<void> {
    try {
      const pair = await load();
      lastError = '';
      if (pair.cert === current?.cert && pair.key === current.key) return;
      current = pair;
      options.logger?.info('webhook certificate loaded from files', { cert: certPath });
      subscribers.emit(pair);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError)
        options.logger?.warn('webhook certificate not reloaded; keeping the previous one', {
          error: errorFields(error),
        });
      lastError = message;
    }
  }

  const schedule = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void reload(), 50);
  };

  return {
    async start() {
      current = await load();
      for (const dir of new Set([dirname(certPath), dirname(keyPath)])) {
        try {
          watchers.push(watch(dir, { persistent: false }, schedule));
        } catch (error) {
          options.logger?.warn('cannot watch the certificate directory; polling only', {
            dir,
            error: errorFields(error),
          });
        }
      }
      poll = setInterval(() => void reload(), options.pollIntervalMs ?? 10_000);
      poll.unref();
    },
    current: () => current,
    subscribe: (listener) => subscribers.add(listener),
    stop() {
      clearInterval(poll);
      clearTimeout(debounce);
      for (const w of watchers) w.close();
      watchers = [];
      return Promise.resolve();
    },
  };
}

/** A fixed pair, for tests and for callers that manage certificates themselves. */
export function staticCertificates(
  pair: ServingCertificate,
  now: () => number = Date.now,
): CertificateSource {
  const subscribers = new Subscribers<ServingCertificate>();
  return {
    start() {
      checkPair(pair, now(), 'staticCertificates');
      return Promise.resolve();
    },
    current: () => pair,
    subscribe: (listener) => subscribers.add(listener),
    stop: () => Promise.resolve(),
  };
}
