/**
 * The webhooks of the webhook scenario: kubeforge's validating and defaulting webhooks for
 * `BenchItem`, and the configurations that send the API server to them. Every object the
 * scenario writes carries the label `WEBHOOK_LABEL` (`none`, `validating` or `defaulting`)
 * and each configuration selects one value, so writes with and without a webhook differ only
 * in that label's value: same kind, same size, same storage path.
 */
import { defaulting, fieldError, validating } from '@kubeforge/runtime';
import type { WebhookConfiguration } from '@kubeforge/testing';
import { benchItemResource, type BenchItem } from './bench-resource.ts';

export const WEBHOOK_LABEL = 'bench.kubeforge.dev/webhook';
export type WebhookMode = 'none' | 'validating' | 'defaulting';

/** Refuses a negative `spec.value` (the scenario never writes one, except to probe). */
export const benchItemValidation = validating<BenchItem>(benchItemResource, {
  create: (item) => ({
    errors: item.spec.value < 0 ? [fieldError.invalid('spec.value', item.spec.value, 'must be >= 0')] : [],
  }),
});

/** Sets `spec.sentAt` to 0 when absent: a one-operation JSON patch on every create. */
export const benchItemDefaulting = defaulting<BenchItem>(benchItemResource, (item) => {
  item.spec.sentAt ??= 0;
  return item;
});

const common = (mode: Exclude<WebhookMode, 'none'>, path: string) => ({
  name: `${mode}.benchitems.${benchItemResource.group}`,
  rules: [
    {
      apiGroups: [benchItemResource.group],
      apiVersions: [benchItemResource.version],
      resources: [benchItemResource.plural],
      operations: ['CREATE'],
    },
  ],
  objectSelector: { matchLabels: { [WEBHOOK_LABEL]: mode } },
  failurePolicy: 'Fail',
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  timeoutSeconds: 10,
  clientConfig: { service: { path } },
});

/** For `installWebhooks`, which points each at the loopback URL the worker serves. */
export const benchWebhookConfigurations: readonly WebhookConfiguration[] = [
  {
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'bench-validating' },
    webhooks: [common('validating', benchItemValidation.path)],
  },
  {
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'bench-defaulting' },
    webhooks: [common('defaulting', benchItemDefaulting.path)],
  },
];
