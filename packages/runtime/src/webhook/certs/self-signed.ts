/**
 * Built-in certificates, for operators installed without cert-manager: the operator issues its
 * own CA and serving certificate, keeps them in a Secret, rotates them before they expire and
 * writes the CA bundle into its own Mutating/ValidatingWebhookConfigurations and CRD
 * conversion stanzas (the cert-controller pattern, kubebuilder #969).
 *
 * Guarantees:
 * - Several replicas agree on one certificate: whoever finds the Secret missing creates it;
 *   a replica that loses the race (409 AlreadyExists) adopts the winner's. Every change of the
 *   Secret is an update with its resourceVersion, so two rotations never interleave; the
 *   loser re-reads and adopts.
 * - No request is refused during a rotation. A serving certificate renewed under the same CA
 *   needs no bundle change. A CA renewal happens in two steps: the new CA is first added to
 *   the bundle beside the old one (still valid) and injected everywhere; only after
 *   `propagationDelayMs` does a serving certificate signed by it replace the old one. Expired
 *   CAs leave the bundle.
 * - `start()` resolves once this replica serves a certificate whose CA is in every configured
 *   object's bundle (objects that do not exist yet are logged and retried).
 * - Each replica re-reads the Secret every `checkIntervalMs` and at each renewal time, and
 *   serves whatever pair it holds (the server swaps it in place).
 *
 * Needs RBAC: get, create, update on the Secret; get, update on the webhook configurations and
 * CRDs named.
 */
import { createPrivateKey as createKey, X509Certificate } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ResourceDescriptor } from '../../api/index.ts';
import { createResourceClient } from '../../client/create-resource-client.ts';
import { isAlreadyExists, isConflict, isForbidden, isNotFound } from '../../client/errors.ts';
import type { Logger } from '../../log/logger.ts';
import { errorFields } from '../../log/logger.ts';
import { WebhookError } from '../review.ts';
import { createCertificateAuthority, issueServingCertificate } from './authority.ts';
import { injectCaBundle, type InjectionTargets } from './inject.ts';
import { Subscribers, type CertificateSource, type ServingCertificate } from './source.ts';

export interface SelfSignedCertificateOptions extends InjectionTargets {
  readonly kubeConfig: KubeConfig;
  /** The Secret holding `ca.crt`, `ca.key`, `ca-bundle.crt`, `tls.crt`, `tls.key`. */
  readonly secret: { readonly namespace: string; readonly name: string };
  /** Names the serving certificate covers: the Service's `<svc>.<ns>.svc` (and `127.0.0.1` in tests). */
  readonly hosts: readonly string[];
  /** Default 10 years. */
  readonly caValidityMs?: number;
  /** Default 1 year. */
  readonly servingValidityMs?: number;
  /** Renew when less than this fraction of a certificate's lifetime remains; default 1/3. */
  readonly renewBeforeFraction?: number;
  /** How often each replica re-reads the Secret; default 60 000 ms. */
  readonly checkIntervalMs?: number;
  /** How long API servers get to load a new CA bundle before a certificate it signed is served; default 5 000 ms. */
  readonly propagationDelayMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const secretResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
};

interface Material {
  readonly caCert: string;
  readonly caKey: string;
  readonly bundle: string;
  readonly serving: ServingCertificate;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function selfSignedCertificates(options: SelfSignedCertificateOptions): CertificateSource {
  const { namespace, name } = options.secret;
  const where = `Secret ${namespace}/${name}`;
  if (options.hosts.length === 0) {
    throw new WebhookError(
      'InvalidRegistration',
      `selfSignedCertificates: hosts is empty; give the webhook Service's DNS name`,
    );
  }
  const now = options.now ?? Date.now;
  const fraction = options.renewBeforeFraction ?? 1 / 3;
  const checkMs = options.checkIntervalMs ?? 60_000;
  const delayMs = options.propagationDelayMs ?? 5_000;
  const invalid = (message: string): WebhookError =>
    new WebhookError('InvalidRegistration', `selfSignedCertificates: ${message}`);
  if (!(fraction > 0 && fraction < 1))
    throw invalid(`renewBeforeFraction must be between 0 and 1, got ${fraction}`);
  if (!(checkMs > 0)) throw invalid(`checkIntervalMs must be > 0, got ${checkMs}`);
  if (!(delayMs >= 0)) throw invalid(`propagationDelayMs must be >= 0, got ${delayMs}`);
  for (const [field, value] of [
    ['caValidityMs', options.caValidityMs],
    ['servingValidityMs', options.servingValidityMs],
  ] as const) {
    if (value !== undefined && !(value > 0)) throw invalid(`${field} must be > 0, got ${value}`);
  }
  if (!namespace || !name) throw invalid('secret needs a namespace and a name');
  const secrets = createResourceClient<Secret>(options.kubeConfig, secretResource).inNamespace(namespace);
  const subscribers = new Subscribers<ServingCertificate>();
  const log = options.logger;
  let current: ServingCertificate | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const renewAt = (pem: string): number => {
    const cert = new X509Certificate(pem);
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    return to - (to - from) * fraction;
  };

  function parse(secret: Secret): Material | undefined {
    const d = secret.data ?? {};
    const material = {
      caCert: unb64(d['ca.crt']),
      caKey: unb64(d['ca.key']),
      bundle: unb64(d['ca-bundle.crt']),
      serving: { cert: unb64(d['tls.crt']), key: unb64(d['tls.key']) },
    };
    try {
      const ca = new X509Certificate(material.caCert);
      const leaf = new X509Certificate(material.serving.cert);
      if (!leaf.checkPrivateKey(createKey(material.serving.key))) return undefined;
      if (!ca.checkPrivateKey(createKey(material.caKey))) return undefined;
      // A bundle that lost the current CA (edited by hand, or missing) gets it back.
      const bundle = splitPem(material.bundle);
      const normal = (pem: string): string => pem.replace(/\s+/g, '');
      if (!bundle.some((pem) => normal(pem) === normal(material.caCert))) {
        return { ...material, bundle: [material.caCert, ...bundle].join('\n') };
      }
      return material;
    } catch {
      return undefined;
    }
  }

  function fresh(): Material {
    const ca = createCertificateAuthority({
      commonName: `${name}-ca`,
      ...validity(options.caValidityMs),
      now,
    });
    const serving = issueServingCertificate(ca, {
      hosts: options.hosts,
      ...validity(options.servingValidityMs),
      now,
    });
    return { caCert: ca.cert, caKey: ca.key, bundle: ca.cert, serving };
  }

  const data = (m: Material): Record<string, string> => ({
    'ca.crt': b64(m.caCert),
    'ca.key': b64(m.caKey),
    'ca-bundle.crt': b64(m.bundle),
    'tls.crt': b64(m.serving.cert),
    'tls.key': b64(m.serving.key),
  });

  /** The next step for stored material, or `undefined` when it is good as it is. */
  function plan(m: Material): { readonly step: 'ca' | 'serving'; readonly material: Material } | undefined {
    const t = now();
    const ca = new X509Certificate(m.caCert);
    const leaf = new X509Certificate(m.serving.cert);
    // Step 1 of a CA renewal: a new CA joins the bundle; the old serving certificate stays.
    if (t >= renewAt(m.caCert)) {
      const next = createCertificateAuthority({
        commonName: `${name}-ca`,
        ...validity(options.caValidityMs),
        now,
      });
      const bundle = [
        next.cert,
        ...splitPem(m.bundle).filter((pem) => Date.parse(new X509Certificate(pem).validTo) > t),
      ].join('\n');
      return { step: 'ca', material: { caCert: next.cert, caKey: next.key, bundle, serving: m.serving } };
    }
    const hostsCovered = options.hosts.every(
      (h) => leaf.checkHost(h) !== undefined || leaf.checkIP(h) !== undefined,
    );
    if (!issuedBy(leaf, ca) || t >= renewAt(m.serving.cert) || !hostsCovered) {
      const serving = issueServingCertificate(
        { cert: m.caCert, key: m.caKey },
        { hosts: options.hosts, ...validity(options.servingValidityMs), now },
      );
      const bundle = splitPem(m.bundle)
        .filter((pem) => Date.parse(new X509Certificate(pem).validTo) > t)
        .join('\n');
      return { step: 'serving', material: { ...m, bundle: bundle || m.caCert, serving } };
    }
    return undefined;
  }

  async function reconcile(): Promise<void> {
    for (let attempt = 0; attempt < 10 && !stopped; attempt++) {
      let secret: Secret;
      try {
        secret = await secrets.get(name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        const material = fresh();
        try {
          await secrets.create({ metadata: { name, namespace }, type: 'Opaque', data: data(material) });
          log?.info('created the webhook certificate Secret', { secret: `${namespace}/${name}` });
        } catch (createError) {
          if (!isAlreadyExists(createError)) throw createError;
          log?.info('another replica created the webhook certificate Secret; adopting it', {
            secret: `${namespace}/${name}`,
          });
        }
        continue;
      }
      const material = parse(secret);
      let next: Material;
      let step: 'ca' | 'serving' | 'replace';
      if (material === undefined) {
        log?.warn('the webhook certificate Secret holds no usable certificates; issuing new ones', {
          secret: `${namespace}/${name}`,
        });
        [next, step] = [fresh(), 'replace'];
      } else {
        // The bundle first, so whatever is served next is trusted.
        await injectCaBundle(options.kubeConfig, options, material.bundle, log, now);
        const planned = plan(material);
        if (planned === undefined) {
          publish(material.serving);
          schedule(material);
          return;
        }
        const caChanged = !issuedBy(
          new X509Certificate(material.serving.cert),
          new X509Certificate(material.caCert),
        );
        if (planned.step === 'serving' && caChanged) {
          // Step 2 of a CA renewal: give API servers time to load the new bundle.
          await new Promise((resolve) => setTimeout(resolve, delayMs));
        }
        publish(material.serving);
        [next, step] = [planned.material, planned.step];
      }
      try {
        await secrets.update({ ...secret, data: data(next) });
        log?.info('rotated the webhook certificates', { secret: `${namespace}/${name}`, step });
      } catch (error) {
        if (!isConflict(error)) throw error;
        log?.info('the webhook certificate Secret changed meanwhile; re-reading it', {});
      }
    }
    throw new WebhookError(
      'CertificateInvalid',
      `${where}: could not settle the certificates after 10 attempts`,
    );
  }

  function publish(pair: ServingCertificate): void {
    if (pair.cert === current?.cert && pair.key === current.key) return;
    current = pair;
    subscribers.emit(pair);
  }

  /** The next check: at the next renewal time, at most `checkIntervalMs` away; after a failure, in `checkIntervalMs`. */
  function schedule(m: Material | undefined): void {
    clearTimeout(timer);
    if (stopped) return;
    const next = m === undefined ? checkMs : Math.min(renewAt(m.caCert), renewAt(m.serving.cert)) - now();
    timer = setTimeout(
      () => {
        running = reconcile().catch((error: unknown) => {
          log?.error('webhook certificate check failed; retrying', {
            secret: `${namespace}/${name}`,
            error: errorFields(error),
          });
          schedule(undefined);
        });
      },
      Math.max(0, Math.min(checkMs, next)),
    );
    timer.unref();
  }

  return {
    async start() {
      try {
        await reconcile();
      } catch (error) {
        const hint = isForbidden(error)
          ? '; the operator needs get, create and update on this Secret and get, update on the webhook configurations and CRDs it injects'
          : '';
        throw new WebhookError(
          'CertificateInvalid',
          `${where}: cannot set up the webhook certificates: ${error instanceof Error ? error.message : String(error)}${hint}`,
          { cause: error },
        );
      }
    },
    current: () => current,
    subscribe: (listener) => subscribers.add(listener),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}

/** Names match and the CA's key signed the certificate (names alone may repeat). */
function issuedBy(leaf: X509Certificate, ca: X509Certificate): boolean {
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
}

function validity(ms: number | undefined): { validityMs?: number } {
  return ms === undefined ? {} : { validityMs: ms };
}
