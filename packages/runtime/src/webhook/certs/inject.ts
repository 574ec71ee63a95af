/**
 * Writing a CA bundle into the objects that tell the API server how to reach a webhook:
 * every webhook of the named Mutating/ValidatingWebhookConfigurations and the conversion
 * webhook of the named CRDs. Writes are get-modify-update with the object's resourceVersion,
 * retried on conflict, and skipped when nothing changes.
 *
 * The written bundle is the union of the given CAs and those already in the object that have
 * not expired: a replica writing an older bundle late never removes a CA another replica has
 * just added, and expired CAs leave at the next write.
 */
import { X509Certificate } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, ResourceDescriptor } from '../../api/index.ts';
import { createResourceClient } from '../../client/create-resource-client.ts';
import { isNotFound } from '../../client/errors.ts';
import type { Logger } from '../../log/logger.ts';

export interface InjectionTargets {
  /** MutatingWebhookConfigurations (by name) whose every webhook gets the CA bundle. */
  readonly mutatingWebhookConfigurations?: readonly string[];
  /** ValidatingWebhookConfigurations (by name) whose every webhook gets the CA bundle. */
  readonly validatingWebhookConfigurations?: readonly string[];
  /** CRDs (by name, e.g. `widgets.example.com`) whose conversion webhook gets the CA bundle. */
  readonly conversionCRDs?: readonly string[];
}

interface ClientConfig {
  caBundle?: string;
  [key: string]: unknown;
}

interface WebhookConfigurationObject extends KubeObject {
  webhooks?: { name: string; clientConfig?: ClientConfig }[];
}

interface CrdObject extends KubeObject {
  spec: { conversion?: { strategy?: string; webhook?: { clientConfig?: ClientConfig } } };
}

const admission = (kind: string, plural: string): ResourceDescriptor => ({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind,
  plural,
  namespaced: false,
});
const mutating = admission('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations');
const validating = admission('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations');
const crds: ResourceDescriptor = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
};

function certificates(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** `wanted` plus the unexpired certificates of `existing` (base64), in a stable order. */
export function mergeBundles(existingBase64: string | undefined, wanted: string, nowMs: number): string {
  const existing = certificates(Buffer.from(existingBase64 ?? '', 'base64').toString('utf8'));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pem of [...certificates(wanted), ...existing]) {
    const normal = pem.replace(/\s+/g, '');
    if (seen.has(normal)) continue;
    seen.add(normal);
    try {
      if (Date.parse(new X509Certificate(pem).validTo) <= nowMs) continue;
    } catch {
      continue;
    }
    out.push(pem);
  }
  return Buffer.from(out.join('\n') + '\n').toString('base64');
}

/** Returns whether every named object exists and now trusts `bundle`. */
export async function injectCaBundle(
  kubeConfig: KubeConfig,
  targets: InjectionTargets,
  bundle: string,
  logger?: Logger,
  now: () => number = Date.now,
): Promise<boolean> {
  let complete = true;
  const each = async (
    resource: ResourceDescriptor,
    names: readonly string[] | undefined,
    configs: (object: KubeObject) => ClientConfig[],
  ): Promise<void> => {
    const client = createResourceClient<KubeObject>(kubeConfig, resource);
    for (const name of names ?? []) {
      try {
        await client.modify(name, (object) => {
          let changed = false;
          const found = configs(object);
          if (found.length === 0) {
            logger?.warn('nothing to inject the CA bundle into', {
              kind: resource.kind,
              name,
              hint: 'the object has no webhook clientConfig (a CRD needs spec.conversion.strategy: Webhook)',
            });
          }
          for (const config of found) {
            const merged = mergeBundles(config.caBundle, bundle, now());
            if (merged !== config.caBundle) {
              config.caBundle = merged;
              changed = true;
            }
          }
          return changed ? object : false;
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        complete = false;
        logger?.warn('cannot inject the CA bundle: the object does not exist (yet)', {
          kind: resource.kind,
          name,
        });
      }
    }
  };
  const webhooks = (object: KubeObject): ClientConfig[] =>
    ((object as WebhookConfigurationObject).webhooks ?? []).map((w) => (w.clientConfig ??= {}));
  await each(mutating, targets.mutatingWebhookConfigurations, webhooks);
  await each(validating, targets.validatingWebhookConfigurations, webhooks);
  await each(crds, targets.conversionCRDs, (object) => {
    const crd = object as CrdObject;
    const webhook = crd.spec.conversion?.strategy === 'Webhook' ? crd.spec.conversion.webhook : undefined;
    return webhook === undefined ? [] : [(webhook.clientConfig ??= {})];
  });
  return complete;
}
