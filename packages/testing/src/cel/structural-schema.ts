/**
 * The part of a CRD's structural schema (apiextensions.k8s.io/v1 `JSONSchemaProps`) that CEL
 * validation reads: types, bounds, list and map kinds, and the rules themselves. Any
 * `openAPIV3Schema` (from a generated CRD file or the generator's model) fits it.
 */

export interface StructuralSchema {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, StructuralSchema>>;
  readonly required?: readonly string[];
  readonly items?: StructuralSchema;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly nullable?: boolean;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly enum?: readonly unknown[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: string;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: string;
  readonly 'x-kubernetes-validations'?: readonly CelValidationRule[];
}

/** One `x-kubernetes-validations` entry. */
export interface CelValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

/** The `reason` values the API server accepts. */
export const validationReasons = [
  'FieldValueInvalid',
  'FieldValueForbidden',
  'FieldValueRequired',
  'FieldValueDuplicate',
] as const;

/** The object schema below `additionalProperties`, or `undefined` for fixed-property objects. */
export function mapValueSchema(schema: StructuralSchema): StructuralSchema | undefined {
  const value = schema.additionalProperties;
  if (value === undefined || value === false) return undefined;
  return value === true ? {} : value;
}

/**
 * Whether a CEL rule sees the value as dynamic (`dyn`): int-or-string values and objects
 * that keep unknown fields without declaring any.
 */
export function isDynamicSchema(schema: StructuralSchema): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) return true;
  if (schema.type === undefined) return true;
  return (
    schema.type === 'object' &&
    schema['x-kubernetes-preserve-unknown-fields'] === true &&
    schema.properties === undefined &&
    mapValueSchema(schema) === undefined &&
    schema['x-kubernetes-embedded-resource'] !== true
  );
}

const celReservedWords = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * The name a property has in CEL, or `undefined` when rules cannot reach it: the API server
 * escapes `__`, `.`, `-` and `/` and reserved words (`__dash__`, `__in__`, ...) and hides
 * properties whose names are not identifiers after escaping.
 */
export function celPropertyName(name: string): string | undefined {
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  if (celReservedWords.has(name)) return `__${name}__`;
  return name
    .replaceAll('__', '__underscores__')
    .replaceAll('.', '__dot__')
    .replaceAll('-', '__dash__')
    .replaceAll('/', '__slash__');
}
