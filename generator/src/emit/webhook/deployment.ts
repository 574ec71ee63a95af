/**
 * Reads how `config/default` installs the operator (its `namespace` and `namePrefix`), for the
 * values of the webhook manifests kustomize cannot rewrite. The only disk read of the webhook
 * manifests, done by the pipeline before emitting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { baseNamespace, type WebhookDeployment } from './names.ts';

export const defaultKustomization = 'config/default/kustomization.yaml';

/** `config/default`'s namespace and name prefix; `system` and none when it sets them not (or is absent). */
export function readWebhookDeployment(projectDir: string): WebhookDeployment {
  const path = join(projectDir, defaultKustomization);
  const data: unknown = existsSync(path) ? parse(readFileSync(path, 'utf8')) : undefined;
  const field = (name: string): string | undefined => {
    const value =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return { namespace: field('namespace') ?? baseNamespace, namePrefix: field('namePrefix') ?? '' };
}
