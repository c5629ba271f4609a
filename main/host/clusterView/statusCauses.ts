import type { FieldCause } from './objectDetailsContract';

// What went wrong, from the API server's `Status` reply, with the fields it names. 422 Invalid
// lists them in `details.causes`; decoding failures (400) only name them in the message, in the
// forms kube-apiserver prints: Go's `json: cannot unmarshal string into Go struct field
// DeploymentSpec.spec.replicas of type int32`, strict decoding's `unknown field "spec.foo"`, and
// server-side apply's `.spec.replicas: expected numeric (int or float), got string`.

export interface StatusFailure {
  code: number;
  reason: string;
  message: string;
  causes: FieldCause[];
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; reason?: string; message?: string }[] };
}

const goStructField = /cannot unmarshal [\w ]+ into Go struct field \w+\.([\w.-]+) of type [\w.{} ]+/g;
const strictProblem = /(unknown|duplicate) field "([^"]+)"/g;
const typedPatchField = /(?:^|: )\.([A-Za-z][\w.[\]/-]*): (expected [^,]+, got [^:,]+)/g;

/** Causes a 400 names only in its message. */
export function causesInMessage(message: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const m of message.matchAll(goStructField)) {
    causes.push({ field: m[1] as string, reason: 'FieldValueTypeInvalid', message: m[0] });
  }
  for (const m of message.matchAll(strictProblem)) {
    const reason = m[1] === 'unknown' ? 'FieldValueUnknown' : 'FieldValueDuplicate';
    causes.push({ field: m[2] as string, reason, message: m[0] });
  }
  for (const m of message.matchAll(typedPatchField)) {
    causes.push({ field: m[1] as string, reason: 'FieldValueTypeInvalid', message: m[2] as string });
  }
  return causes;
}

export function statusFailure(status: number, body: unknown, text: string): StatusFailure {
  const s = (body ?? {}) as StatusBody;
  const message = s.kind === 'Status' && s.message ? s.message : text.trim() || `HTTP ${status}`;
  const listed = (s.details?.causes ?? []).map((c) => ({
    ...(c.field ? { field: c.field } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    message: c.message ?? message,
  }));
  const causes = listed.some((c) => c.field) ? listed : [...listed, ...causesInMessage(message)];
  return { code: s.code ?? status, reason: s.reason ?? 'Unknown', message, causes };
}
