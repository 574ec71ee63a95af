/**
 * Checks on emitted CRDs: sizes against the limits of `kubectl apply` and etcd (a note from
 * 80% of the smaller one, a warning above each), CEL rules that the target Kubernetes version
 * would ignore, and CEL rules the API server would refuse (rule-checks.ts).
 */
import { parse } from 'yaml';
import type { Diagnostic } from '../../diagnostics/index.ts';
import type { ProjectModel, Schema } from '../../model/index.ts';
import type { OutputFile } from '../output-file.ts';
import { checkValidationRules } from './rule-checks.ts';
import {
  celMinimumKubeVersion,
  defaultKubeVersion,
  kubeVersionAtLeast,
  selectableFieldsMinimumKubeVersion,
  type CrdOptions,
} from './options.ts';

/**
 * The limit of `metadata.annotations`, which client-side `kubectl apply` fills with the whole
 * object as JSON (last-applied-configuration).
 */
export const annotationLimitBytes = 262_144;
/** etcd's default request limit (`--max-request-bytes`): the API server cannot store a larger object. */
export const etcdRequestLimitBytes = 1_572_864;
/** From this share of the annotation limit on, each CRD's size is reported as a note. */
export const nearLimitRatio = 0.8;

export interface CrdSize {
  readonly path: string;
  /** Size of the YAML file. */
  readonly bytes: number;
  /** Size of the CRD as compact JSON: what kubectl's annotation and etcd hold. */
  readonly jsonBytes: number;
}

export function crdSizes(files: readonly OutputFile[]): readonly CrdSize[] {
  return files.map((f) => ({
    path: f.path,
    bytes: Buffer.byteLength(f.contents),
    jsonBytes: Buffer.byteLength(JSON.stringify(parse(f.contents))),
  }));
}

const shrinkHint =
  'cap descriptions with --max-description-length <n> (or generate.maxDescriptionLength in kubeforge.json), drop them below large embedded fields with @maxDescriptionLength 0, or install with kubectl apply --server-side';

/** A note or warning for a CRD near or above the limits of kubectl apply and etcd. */
export function crdSizeDiagnostic(size: CrdSize): Diagnostic | undefined {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const measured = `${size.path} is ${size.jsonBytes} bytes as JSON (${kib(size.jsonBytes)})`;
  if (size.jsonBytes > etcdRequestLimitBytes) {
    return {
      severity: 'warning',
      code: 'crd-too-large',
      file: size.path,
      message: `${measured}: above etcd's default request limit of ${etcdRequestLimitBytes} bytes, the API server cannot store it`,
      hint: shrinkHint,
    };
  }
  if (size.jsonBytes > annotationLimitBytes) {
    return {
      severity: 'warning',
      code: 'crd-too-large',
      file: size.path,
      message: `${measured}: client-side kubectl apply fails above ${annotationLimitBytes} bytes (its last-applied-configuration annotation); etcd's limit is ${etcdRequestLimitBytes}`,
      hint: shrinkHint,
    };
  }
  if (size.jsonBytes >= annotationLimitBytes * nearLimitRatio) {
    const share = Math.round((size.jsonBytes / annotationLimitBytes) * 100);
    return {
      severity: 'note',
      code: 'crd-size',
      file: size.path,
      message: `${measured}, ${share}% of the ${annotationLimitBytes}-byte limit of client-side kubectl apply`,
      hint: shrinkHint,
    };
  }
  return undefined;
}

export function checkCrds(
  model: ProjectModel,
  files: readonly OutputFile[],
  options: CrdOptions = {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const size of crdSizes(files)) {
    const diagnostic = crdSizeDiagnostic(size);
    if (diagnostic) diagnostics.push(diagnostic);
  }
  const kubeVersion = options.kubeVersion ?? defaultKubeVersion;
  diagnostics.push(...checkSelectableFieldsVersion(model, kubeVersion));
  diagnostics.push(...checkValidationRules(model, kubeVersion));
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

/**
 * `selectableFields` need Kubernetes >= 1.30: an older target is an error (older servers drop
 * the field, and field selectors on it fail); 1.30 itself gets a note about its feature gate.
 */
function checkSelectableFieldsVersion(model: ProjectModel, kubeVersion: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const atLeast = kubeVersionAtLeast(kubeVersion, selectableFieldsMinimumKubeVersion);
  for (const kind of model.kinds) {
    for (const version of kind.versions) {
      const fields = version.selectableFields ?? [];
      if (fields.length === 0) continue;
      const where = { file: version.source.file, path: kind.kind };
      if (!atLeast) {
        diagnostics.push({
          severity: 'error',
          code: 'selectable-fields-unsupported',
          ...where,
          message: `selectableFields need Kubernetes >= ${selectableFieldsMinimumKubeVersion}, but ${kind.kind} ${version.name} targets ${kubeVersion}: older servers drop them and field selectors on ${fields.join(', ')} would fail`,
          hint: `target Kubernetes ${selectableFieldsMinimumKubeVersion} or newer with --kube-version ${selectableFieldsMinimumKubeVersion} or generate.kubeVersion in kubeforge.json, or remove @selectableField`,
        });
      } else if (!kubeVersionAtLeast(kubeVersion, '1.31')) {
        diagnostics.push({
          severity: 'note',
          code: 'selectable-fields-gated',
          ...where,
          message: `Kubernetes ${kubeVersion} serves selectableFields only with the CustomResourceFieldSelectors feature gate (alpha); it is on by default from 1.31`,
        });
      }
    }
  }
  return diagnostics;
}
