// A validation failure on one field, shaped like Kubernetes' field.Error so the API server can
// turn a list of them into a 422 Invalid Status with `details.causes`.

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTypeInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

export interface FieldError {
  type: FieldErrorType;
  /** JSON path as Kubernetes prints it: `spec.template.spec.containers[0].name`. */
  field: string;
  /** Kubernetes' wording, e.g. `Required value` or `Invalid value: "Web": a lowercase RFC 1123 ...`. */
  message: string;
}

export function fieldError(type: FieldErrorType, field: string, message: string): FieldError {
  return { type, field, message };
}
