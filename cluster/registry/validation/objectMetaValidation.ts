// metadata checks every resource shares: name syntax, label and annotation syntax.
// https://github.com/kubernetes/apimachinery/blob/v0.35.2/pkg/api/validation/objectmeta.go

import type { V1ObjectMeta } from '@kubernetes/client-node';
import { type FieldError, fieldError } from '../fieldError';
import { maxLenError, type NameCheck } from '../names';
import { labelValueErrors, qualifiedNameErrors } from '../selectors/labelSyntax';
import { immutable, invalidValue, required } from './fieldErrors';

const totalAnnotationSizeLimit = 256 * 1024;

function validateName(name: string, check: NameCheck, maxLength?: number): FieldError[] {
  const problems = check(name);
  if (maxLength !== undefined && name.length > maxLength) problems.unshift(maxLenError(maxLength));
  return problems.map((p) => invalidValue('metadata.name', name, p));
}

export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const p of qualifiedNameErrors(key)) errs.push(invalidValue(field, key, p));
    if (typeof value !== 'string') continue;
    for (const p of labelValueErrors(value)) errs.push(invalidValue(field, value, p));
  }
  return errs;
}

function validateAnnotations(annotations: Record<string, string> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const p of qualifiedNameErrors(key.toLowerCase()))
      errs.push(invalidValue('metadata.annotations', key, p));
    size += key.length + String(value).length;
  }
  if (size > totalAnnotationSizeLimit) {
    errs.push(
      fieldError(
        'FieldValueTooLong',
        'metadata.annotations',
        `Too long: must have at most ${totalAnnotationSizeLimit} bytes`,
      ),
    );
  }
  return errs;
}

export function validateObjectMeta(
  meta: V1ObjectMeta,
  check: NameCheck,
  maxNameLength?: number,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else errs.push(...validateName(meta.name, check, maxNameLength));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations));
  return errs;
}

/** Fields that may never change once the object exists. */
export function validateObjectMetaUpdate(meta: V1ObjectMeta, old: V1ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.name !== old.name) errs.push(immutable('metadata.name', meta.name));
  if ((meta.namespace ?? '') !== (old.namespace ?? ''))
    errs.push(immutable('metadata.namespace', meta.namespace));
  if (meta.uid !== old.uid) errs.push(immutable('metadata.uid', meta.uid));
  if (String(meta.creationTimestamp ?? '') !== String(old.creationTimestamp ?? '')) {
    errs.push(immutable('metadata.creationTimestamp', meta.creationTimestamp));
  }
  return errs;
}
