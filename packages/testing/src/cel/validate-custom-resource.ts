/**
 * `validateCustomResource`: a CRD's rules against an object of one of its kinds, picking the
 * version's schema from the object's apiVersion.
 */
import type { StructuralSchema } from './structural-schema.ts';
import { validateWithRules, type RuleViolation, type ValidateOptions } from './validate.ts';

interface CrdLike {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly {
      readonly name: string;
      readonly schema?: { readonly openAPIV3Schema?: unknown };
    }[];
  };
}

export interface CustomResourceValidationOptions extends ValidateOptions {
  /** The version whose schema applies; default the one named by the object's apiVersion. */
  readonly version?: string;
}

/**
 * The rule violations of `object` under the CRD (as installed: a parsed CRD file or the
 * generator's output); empty when the API server would accept it.
 */
export function validateCustomResource(
  crd: CrdLike,
  object: { readonly apiVersion?: string; readonly [key: string]: unknown },
  options: CustomResourceValidationOptions = {},
): RuleViolation[] {
  const versionName = options.version ?? object.apiVersion?.split('/').at(-1);
  const version = crd.spec.versions.find((v) => v.name === versionName) ?? crd.spec.versions[0];
  const schema = version?.schema?.openAPIV3Schema as StructuralSchema | undefined;
  if (version === undefined || schema === undefined) {
    throw new Error(
      `CRD ${crd.spec.names.kind}.${crd.spec.group} has no schema for version ${String(versionName)}`,
    );
  }
  return validateWithRules(schema, object, options);
}
