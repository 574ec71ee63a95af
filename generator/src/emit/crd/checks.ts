/**
 * Checks on emitted CRDs that are not about the user's types: sizes against the limits of
 * `kubectl apply` and etcd, and CEL rules that the target Kubernetes version would ignore.
 */
import type { Diagnostic } from '../../diagnostics/index.ts';
import type { ProjectModel, Schema } from '../../model/index.ts';
import type { OutputFile } from '../output-file.ts';
import { celMinimumKubeVersion, defaultKubeVersion, kubeVersionAtLeast, type CrdOptions } from './options.ts';

/** The annotation limit client-side `kubectl apply` hits (last-applied-configuration). */
export const annotationLimitBytes = 262_144;

export interface CrdSize {
  readonly path: string;
  readonly bytes: number;
}

export function crdSizes(files: readonly OutputFile[]): readonly CrdSize[] {
  return files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.contents) }));
}

export function checkCrds(
  model: ProjectModel,
  files: readonly OutputFile[],
  options: CrdOptions = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const size of crdSizes(files)) {
    if (size.bytes > annotationLimitBytes) {
      diagnostics.push({
        severity: 'warning',
        code: 'crd-too-large',
        file: size.path,
        message: `${size.path} is ${size.bytes} bytes; client-side kubectl apply fails above ${annotationLimitBytes} bytes`,
        hint: 'set maxDescriptionLength (--max-description-length), or use kubectl apply --server-side',
      });
    }
  }
  const kubeVersion = options.kubeVersion ?? defaultKubeVersion;
  if (!kubeVersionAtLeast(kubeVersion, celMinimumKubeVersion)) {
    for (const kind of model.kinds) {
      for (const version of kind.versions) {
        const count = countRules(version.schema);
        if (count > 0) {
          diagnostics.push({
            severity: 'warning',
            code: 'cel-unsupported',
            file: version.source.file,
            path: kind.kind,
            message: `${count} CEL validation rule${count === 1 ? '' : 's'} of ${kind.kind} ${version.name} left out: Kubernetes ${kubeVersion} does not enforce x-kubernetes-validations (needs ${celMinimumKubeVersion})`,
            hint: `target Kubernetes >= ${celMinimumKubeVersion} to enforce them`,
          });
        }
      }
    }
  }
  return diagnostics;
}

function countRules(schema: Schema): number {
  let count = schema['x-kubernetes-validations']?.length ?? 0;
  for (const child of Object.values(schema.properties ?? {})) count += countRules(child);
  if (schema.items) count += countRules(schema.items);
  if (schema.additionalProperties) count += countRules(schema.additionalProperties);
  return count;
}
