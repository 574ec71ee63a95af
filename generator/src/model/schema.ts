/**
 * The structural OpenAPI v3 schema of a CRD version, as plain readonly data. Keys are the
 * apiextensions.k8s.io/v1 `JSONSchemaProps` names, so an emitter only orders and serialises.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** One `x-kubernetes-validations` entry (a CEL rule; enforced by API servers >= 1.25). */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  /** A CEL expression producing the message (>= 1.27). */
  readonly messageExpression?: string;
  /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate (>= 1.28). */
  readonly reason?: string;
  /** The field to report, relative to the rule's, e.g. `.replicas` (>= 1.28). */
  readonly fieldPath?: string;
  /** Run the transition rule also without an old value, `oldSelf` being an optional (>= 1.30). */
  readonly optionalOldSelf?: boolean;
  /**
   * Where the rule's expressions start in the user's source, for diagnostics; never emitted.
   * Absent for rules kubeforge writes itself (discriminated unions) or imports.
   */
  readonly source?: ValidationRuleSource;
}

export interface ValidationRuleSource {
  readonly file: string;
  /** 1-based line and column of the first character of `rule`. */
  readonly line: number;
  readonly column: number;
  /** 1-based line and column of the first character of `messageExpression`, if any. */
  readonly messageExpression?: { readonly line: number; readonly column: number };
}

/** The rule as the CRD carries it: the API's fields only, in the API's order. */
export function emittedValidationRule(rule: ValidationRule): ValidationRule {
  return {
    rule: rule.rule,
    ...(rule.message === undefined ? {} : { message: rule.message }),
    ...(rule.messageExpression === undefined ? {} : { messageExpression: rule.messageExpression }),
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
    ...(rule.fieldPath === undefined ? {} : { fieldPath: rule.fieldPath }),
    ...(rule.optionalOldSelf === undefined ? {} : { optionalOldSelf: rule.optionalOldSelf }),
  };
}

export interface Schema {
  readonly type?: SchemaType;
  readonly format?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema;
  readonly enum?: readonly JsonValue[];
  readonly nullable?: boolean;
  readonly default?: JsonValue;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly anyOf?: readonly Schema[];
  readonly 'x-kubernetes-int-or-string'?: true;
  readonly 'x-kubernetes-preserve-unknown-fields'?: true;
  readonly 'x-kubernetes-embedded-resource'?: true;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic' | 'granular';
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
}

/** True for schemas that hold a single value (not an object or a list). */
export function isScalarSchema(schema: Schema): boolean {
  return (
    schema.type === 'string' ||
    schema.type === 'integer' ||
    schema.type === 'number' ||
    schema.type === 'boolean' ||
    schema['x-kubernetes-int-or-string'] === true
  );
}

/**
 * Follows a simple JSONPath such as `.spec.replicas` through `properties`; `undefined` when a
 * segment is missing or the path uses anything beyond dotted names.
 */
export function schemaAtPath(root: Schema, jsonPath: string): Schema | undefined {
  if (!/^(\.[A-Za-z0-9_-]+)+$/.test(jsonPath)) return undefined;
  let current: Schema | undefined = root;
  for (const segment of jsonPath.slice(1).split('.')) {
    current = current.properties?.[segment];
    if (current === undefined) return undefined;
  }
  return current;
}
