// Builders for field errors with apimachinery's wording (`Required value`, `Invalid value: "x": …`).
// https://github.com/kubernetes/apimachinery/blob/v0.35.2/pkg/util/validation/field/errors.go

import { type FieldError, fieldError } from '../fieldError';

/** Renders a value the way field errors quote it: strings quoted, numbers bare, objects as JSON. */
function quoteValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}

export function required(field: string, detail = ''): FieldError {
  return fieldError('FieldValueRequired', field, detail ? `Required value: ${detail}` : 'Required value');
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return fieldError('FieldValueInvalid', field, `Invalid value: ${quoteValue(value)}: ${detail}`);
}

export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const list = supported.map((s) => `"${s}"`).join(', ');
  return fieldError(
    'FieldValueNotSupported',
    field,
    `Unsupported value: ${quoteValue(value)}: supported values: ${list}`,
  );
}

export function duplicate(field: string, value: unknown): FieldError {
  return fieldError('FieldValueDuplicate', field, `Duplicate value: ${quoteValue(value)}`);
}

export function forbidden(field: string, detail: string): FieldError {
  return fieldError('FieldValueForbidden', field, `Forbidden: ${detail}`);
}

export function immutable(field: string, value: unknown): FieldError {
  return invalidValue(field, value, 'field is immutable');
}

export function nonNegative(field: string, value: unknown): FieldError[] {
  return typeof value === 'number' && value < 0
    ? [invalidValue(field, value, 'must be greater than or equal to 0')]
    : [];
}

export function portRange(field: string, value: unknown): FieldError[] {
  if (value === undefined || value === null) return [required(field)];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return [invalidValue(field, value, 'must be between 1 and 65535, inclusive')];
  }
  return [];
}
