/**
 * Pointing the real kube-apiserver at webhooks served by the test process, as envtest's
 * `WebhookInstallOptions` does: a CA and a serving certificate for the loopback address are
 * made in a temporary directory (`tls.crt`, `tls.key`, `ca.crt`), every webhook of the given
 * Mutating/ValidatingWebhookConfigurations gets `clientConfig.url:
 * https://127.0.0.1:<port><its service path>` with the CA bundle, and the named CRDs get a
 * Webhook conversion stanza pointing at the conversion path. The local control plane has no
 * Service routing or DNS, so a URL is the only way the server reaches the test.
 *
 * The API server picks up new webhook configurations asynchronously (usually within
 * milliseconds); `installWebhooks` returns once they are stored.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ControlPlaneError } from './errors.ts';
import { kubeRequest } from './http.ts';
import { issueLoopbackCertificates } from './loopback-certs.ts';
import { freePort } from './ports.ts';

interface WebhookEntry {
  readonly name: string;
  readonly clientConfig?: {
    readonly service?: { readonly path?: string };
    readonly url?: string;
    readonly caBundle?: string;
  };
  readonly [key: string]: unknown;
}

/** A Mutating- or ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1). */
export interface WebhookConfiguration {
  readonly apiVersion?: string;
  readonly kind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly webhooks?: readonly WebhookEntry[];
}

export interface WebhookInstallOptions {
  /** Configurations as objects or YAML files (e.g. `config/webhook/manifests.yaml`). */
  readonly configurations?: readonly (string | WebhookConfiguration)[];
  /** CRDs (by name, e.g. `widgets.example.com`) whose versions the webhook converts. */
  readonly conversionCRDs?: readonly string[];
  /** Default `/convert`. */
  readonly conversionPath?: string;
  /** Default a free port on 127.0.0.1. */
  readonly port?: number;
  /**
   * Serve these instead of a generated pair (PEM; `cert` must cover 127.0.0.1), e.g. to test
   * a rotation with certificates issued by the same CA.
   */
  readonly certificates?: { readonly ca: string; readonly cert: string; readonly key: string };
}

export interface InstalledWebhooks {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** Holds `tls.crt`, `tls.key` (for the webhook server) and `ca.crt`. */
  readonly certDir: string;
  /** The CA that signed `tls.crt`, PEM. */
  readonly caBundle: string;
  /** Deletes the configurations, removes the CRDs' conversion stanzas and the directory. */
  uninstall(): Promise<void>;
}

const admissionPath = '/apis/admissionregistration.k8s.io/v1';
const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export async function installWebhooks(
  kubeConfig: KubeConfig,
  options: WebhookInstallOptions,
): Promise<InstalledWebhooks> {
  const port = options.port ?? (await freePort());
  const url = `https://127.0.0.1:${port}`;
  const certDir = mkdtempSync(join(tmpdir(), 'kubeforge-webhook-'));
  const pair = options.certificates ?? issueLoopbackCertificates();
  writeFileSync(join(certDir, 'tls.crt'), pair.cert);
  writeFileSync(join(certDir, 'tls.key'), pair.key, { mode: 0o600 });
  writeFileSync(join(certDir, 'ca.crt'), pair.ca);
  const caBundle = Buffer.from(pair.ca).toString('base64');
  const installed: string[] = [];
  for (const configuration of (options.configurations ?? []).flatMap(loadConfigurations)) {
    const pointed = pointAt(configuration, url, caBundle);
    installed.push(await createOrReplace(kubeConfig, pointed));
  }
  const conversionPath = options.conversionPath ?? '/convert';
  for (const name of options.conversionCRDs ?? []) {
    const patch = {
      spec: {
        conversion: {
          strategy: 'Webhook',
          webhook: {
            // A CRD generated for a cluster names the webhook Service: the URL replaces it.
            clientConfig: { url: url + conversionPath, caBundle, service: null },
            conversionReviewVersions: ['v1', 'v1beta1'],
          },
        },
      },
    };
    await mergePatch(kubeConfig, `${crdPath}/${name}`, patch, `CRD ${name}`);
  }
  return {
    host: '127.0.0.1',
    port,
    url,
    certDir,
    caBundle: pair.ca,
    async uninstall() {
      for (const path of installed) await kubeRequest(kubeConfig, 'DELETE', path);
      for (const name of options.conversionCRDs ?? []) {
        await mergePatch(
          kubeConfig,
          `${crdPath}/${name}`,
          { spec: { conversion: { strategy: 'None', webhook: null } } },
          `CRD ${name}`,
        ).catch(() => undefined);
      }
      rmSync(certDir, { recursive: true, force: true });
    },
  };
}

function loadConfigurations(source: string | WebhookConfiguration): WebhookConfiguration[] {
  if (typeof source !== 'string') return [source];
  return parseAllDocuments(readFileSync(source, 'utf8')).flatMap((doc, index) => {
    const value = doc.toJS() as { kind?: unknown } | null;
    if (value === null) return [];
    if (value.kind !== 'MutatingWebhookConfiguration' && value.kind !== 'ValidatingWebhookConfiguration') {
      throw new ControlPlaneError(
        `${source}: document ${index + 1} is a ${String(value.kind)}, not a Mutating- or ValidatingWebhookConfiguration`,
      );
    }
    return [value as WebhookConfiguration];
  });
}

function pointAt(configuration: WebhookConfiguration, url: string, caBundle: string): WebhookConfiguration {
  return {
    ...configuration,
    apiVersion: 'admissionregistration.k8s.io/v1',
    webhooks: (configuration.webhooks ?? []).map((webhook) => {
      const cc = webhook.clientConfig ?? {};
      const path = cc.service?.path ?? (cc.url !== undefined ? new URL(cc.url).pathname : '/');
      return { ...webhook, clientConfig: { url: url + path, caBundle } };
    }),
  };
}

async function createOrReplace(kubeConfig: KubeConfig, configuration: WebhookConfiguration): Promise<string> {
  const collection = `${admissionPath}/${configuration.kind.toLowerCase()}s`;
  const path = `${collection}/${configuration.metadata.name}`;
  const created = await kubeRequest(kubeConfig, 'POST', collection, configuration);
  if (created.status === 409) {
    const current = JSON.parse((await kubeRequest(kubeConfig, 'GET', path)).body) as {
      metadata: { resourceVersion: string };
    };
    const body = {
      ...configuration,
      metadata: { ...configuration.metadata, resourceVersion: current.metadata.resourceVersion },
    };
    const replaced = await kubeRequest(kubeConfig, 'PUT', path, body);
    if (replaced.status >= 300)
      throw new ControlPlaneError(
        `replacing ${configuration.kind} ${configuration.metadata.name}: HTTP ${replaced.status}: ${replaced.body}`,
      );
  } else if (created.status >= 300) {
    throw new ControlPlaneError(
      `installing ${configuration.kind} ${configuration.metadata.name}: HTTP ${created.status}: ${created.body}`,
    );
  }
  return path;
}

async function mergePatch(kubeConfig: KubeConfig, path: string, patch: unknown, what: string): Promise<void> {
  const response = await kubeRequest(kubeConfig, 'PATCH', path, patch, 'application/merge-patch+json');
  if (response.status >= 300)
    throw new ControlPlaneError(`patching ${what}: HTTP ${response.status}: ${response.body}`);
}
