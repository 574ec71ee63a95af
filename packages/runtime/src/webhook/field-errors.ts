/**
 * Field errors in the API server's own format (k8s.io/apimachinery's `field.Error`), so a
 * webhook's denial reads like the server's own validation: `spec.replicas: Invalid value: 20:
 * must be at most 10`, with one `StatusCause` per field that `kubectl` and clients can read.
 */
import type { StatusCause } from '../api/index.ts';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound';

export interface FieldError {
  readonly type: FieldErrorType;
  /** Path of the field in the object as the user wrote it, e.g. `spec.ports[0].port`. */
  readonly field: string;
  /** Why the value is wrong (for `FieldValueInvalid`, `...NotSupported` and the like). */
  readonly detail?: string;
  /** The bad value, shown in the message (omitted for Required/Forbidden/TooLong/TooMany). */
  readonly value?: unknown;
}

const typeText: Readonly<Record<FieldErrorType, string>> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
};

const showsValue = new Set<FieldErrorType>([
  'FieldValueInvalid',
  'FieldValueNotSupported',
  'FieldValueDuplicate',
  'FieldValueNotFound',
]);

/** Constructors named after apimachinery's `field.Invalid`, `field.Required`, ... */
export const fieldError = {
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field,
    value,
    detail,
  }),
  required: (field: string, detail?: string): FieldError => ({
    type: 'FieldValueRequired',
    field,
    ...(detail !== undefined && { detail }),
  }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field,
    value,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value }),
  tooLong: (field: string, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field,
    detail: `may not be more than ${maxLength} bytes`,
  }),
} as const;

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '<nil>';
  return JSON.stringify(value);
}

/** The error text without the field: `Invalid value: 20: must be at most 10`. */
export function fieldErrorBody(error: FieldError): string {
  let text = typeText[error.type];
  if (showsValue.has(error.type) && 'value' in error) text += `: ${formatValue(error.value)}`;
  if (error.detail !== undefined && error.detail !== '') text += `: ${error.detail}`;
  return text;
}

/** `spec.replicas: Invalid value: 20: must be at most 10`. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

export function statusCause(error: FieldError): StatusCause {
  return { reason: error.type, message: fieldErrorBody(error), field: error.field };
}

/** apimachinery's aggregate: one error alone, several as `[a, b]`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  const texts = errors.map(formatFieldError);
  return texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
}
