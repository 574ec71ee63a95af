/**
 * Where the webhook server's serving certificate comes from. A source yields a certificate
 * and key (PEM) once started and tells its subscribers about every new pair; the server
 * swaps its TLS context on each, so new connections use the new pair while connections
 * already open finish on the old one: no request is dropped by a rotation.
 *
 * Sources only publish pairs that belong together (the key matches the certificate) and are
 * valid now; a bad pair is logged and the previous one kept.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { WebhookError } from '../review.ts';

export interface ServingCertificate {
  /** The certificate chain, PEM, leaf first. */
  readonly cert: string;
  /** The private key, PEM. */
  readonly key: string;
}

export interface CertificateSource {
  /** Resolves once a certificate is available (or rejects with why none can be). */
  start(signal: AbortSignal): Promise<void>;
  /** The current pair; defined once `start` resolved. */
  current(): ServingCertificate | undefined;
  /** Calls `listener` with every new pair; returns a function that unsubscribes. */
  subscribe(listener: (certificate: ServingCertificate) => void): () => void;
  /** Stops watching; idempotent. */
  stop(): Promise<void>;
}

/** The pair's leaf certificate, after checking that the key matches it and it is valid at `nowMs`. */
export function checkPair(pair: ServingCertificate, nowMs: number, where: string): X509Certificate {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(pair.cert);
  } catch (error) {
    throw new WebhookError('CertificateInvalid', `${where}: the certificate is not a PEM X.509 certificate`, {
      cause: error,
    });
  }
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(pair.key));
  } catch (error) {
    throw new WebhookError('CertificateInvalid', `${where}: the key is not a PEM private key`, {
      cause: error,
    });
  }
  if (!matches) {
    throw new WebhookError(
      'CertificateInvalid',
      `${where}: the private key does not belong to the certificate (subject ${leaf.subject}); were the files written at different times?`,
    );
  }
  const notAfter = Date.parse(leaf.validTo);
  if (notAfter <= nowMs) {
    throw new WebhookError('CertificateInvalid', `${where}: the certificate expired at ${leaf.validTo}`);
  }
  return leaf;
}

/** A small listener set shared by the sources. */
export class Subscribers<T> {
  readonly #listeners = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }
}
