/**
 * The names the webhook manifests, the CRDs' conversion stanzas and the runtime agree on:
 * the Service, the Secret, the configurations and the paths `@kubeforge/runtime` serves
 * (controller-runtime's, so manifests written for a Go operator fit too).
 */
import type { KindModel, VersionModel } from '../../model/index.ts';

export const webhookDir = 'config/webhook';
/** The webhook Service, before kustomize's namePrefix; port 443 to the manager's 9443. */
export const webhookServiceName = 'webhook-service';
/** Where the operator's manifests live before `config/default`'s namespace applies. */
export const baseNamespace = 'system';
export const webhookServerPort = 9443;
/** The Secret holding the serving certificate (cert-manager's, or the built-in mode's). */
export const webhookSecretName = 'webhook-server-cert';
export const mutatingConfigurationName = 'mutating-webhook-configuration';
export const validatingConfigurationName = 'validating-webhook-configuration';
export const certificateName = 'serving-cert';
export const issuerName = 'selfsigned-issuer';
export const conversionPath = '/convert';

/**
 * How `config/default` installs the operator: the namespace and name prefix kustomize gives
 * every object. Values kustomize cannot rewrite (cert-manager's `inject-ca-from`, the
 * certificate's DNS names, RBAC `resourceNames`) are written with them.
 */
export interface WebhookDeployment {
  readonly namespace: string;
  readonly namePrefix: string;
}

/** `config/default` as `kubeforge init` writes it for a project named `name`. */
export function defaultDeployment(name: string): WebhookDeployment {
  return { namespace: `${name}-system`, namePrefix: `${name}-` };
}

/** The runtime's path of a kind's admission webhook at one version, e.g. `/mutate-example-com-v2-widget`. */
export function admissionPath(
  role: 'mutate' | 'validate',
  kind: Pick<KindModel, 'group' | 'kind'>,
  version: Pick<VersionModel, 'name'>,
): string {
  return `/${role}-${kind.group.replaceAll('.', '-')}-${version.name}-${kind.kind.toLowerCase()}`;
}

/** A webhook's name in its configuration: fully qualified and unique per kind and version. */
export function admissionWebhookName(
  role: 'mutate' | 'validate',
  kind: Pick<KindModel, 'group' | 'singular'>,
  version: Pick<VersionModel, 'name'>,
): string {
  return `${role === 'mutate' ? 'm' : 'v'}${kind.singular}-${version.name}.${kind.group}`;
}

/** Whether the project needs the webhook server: an admission webhook or a conversion webhook. */
export function hasWebhooks(kinds: readonly KindModel[]): boolean {
  return kinds.some(
    (kind) => kind.conversion?.strategy === 'Webhook' || kind.versions.some((v) => v.webhooks !== undefined),
  );
}
