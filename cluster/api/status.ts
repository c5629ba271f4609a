// The one catalogue of API errors: each constructor returns an ApiError carrying the exact
// Kubernetes `Status` (code, reason, message, details) that apimachinery's errors package builds.
// https://github.com/kubernetes/apimachinery/blob/v0.35.2/pkg/api/errors/errors.go

import type { V1Status, V1StatusCause } from '@kubernetes/client-node';
import type { FieldError } from '../registry/fieldError';

/** Group + plural resource, printed as `deployments.apps` (core: `pods`). */
export interface GroupResource {
  group: string;
  resource: string;
}

/** Group + kind, printed as `Deployment.apps` (core: `Pod`). */
export interface GroupKind {
  group: string;
  kind: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: V1Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code ?? 500;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

function failure(code: number, reason: string, message: string, details?: V1Status['details']): ApiError {
  const status: V1Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return new ApiError(status);
}

function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

function qualifiedKind({ group, kind }: GroupKind): string {
  return group ? `${kind}.${group}` : kind;
}

function resourceDetails(gr: GroupResource, name: string): V1Status['details'] {
  return gr.group ? { name, group: gr.group, kind: gr.resource } : { name, kind: gr.resource };
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, resourceDetails(gr, name));
}

/** The reply for a path no route serves. */
export function routeNotFound(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists`,
    resourceDetails(gr, name),
  );
}

const staleObjectMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, detail: string = staleObjectMessage): ApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${detail}`,
    resourceDetails(gr, name),
  );
}

/** Server-side apply conflicts: 409 with one FieldManagerConflict cause per field. */
export function applyConflict(
  gr: GroupResource,
  name: string,
  message: string,
  causes: V1StatusCause[],
): ApiError {
  return failure(409, 'Conflict', message, { ...resourceDetails(gr, name), causes });
}

function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${e.message}`;
}

export function invalid(gk: GroupKind, name: string, errors: FieldError[]): ApiError {
  const texts = errors.map(fieldErrorText);
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const causes: V1StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  const details = gk.group
    ? { name, group: gk.group, kind: gk.kind, causes }
    : { name, kind: gk.kind, causes };
  return failure(422, 'Invalid', `${qualifiedKind(gk)} "${name}" is invalid: ${summary}`, details);
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function expired(message: string): ApiError {
  return failure(410, 'Expired', message);
}

export function requestEntityTooLarge(message: string): ApiError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function methodNotAllowed(verb: string, gr: GroupResource): ApiError {
  return failure(
    405,
    'MethodNotAllowed',
    `${verb} is not supported on resources of kind "${qualifiedResource(gr)}"`,
    {
      group: gr.group,
      kind: gr.resource,
    },
  );
}

export function unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] },
  );
}

export function forbidden(gr: GroupResource, name: string, reason: string): ApiError {
  const what = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return failure(403, 'Forbidden', `${what} is forbidden: ${reason}`, resourceDetails(gr, name));
}

/** 429 TooManyRequests (NewTooManyRequests): try again later, e.g. an eviction a disruption budget refuses. */
export function tooManyRequests(
  message: string,
  retryAfterSeconds: number,
  causes: V1StatusCause[] = [],
): ApiError {
  const details: V1Status['details'] = { retryAfterSeconds };
  if (causes.length > 0) details.causes = causes;
  return failure(429, 'TooManyRequests', message, details);
}

export function unauthorized(): ApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function serviceUnavailable(message: string): ApiError {
  return failure(503, 'ServiceUnavailable', message);
}

/** A read at a revision the store has not reached (apiserver answers after waiting briefly). */
export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return failure(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function internalError(err: unknown): ApiError {
  const text = err instanceof Error ? err.message : String(err);
  return failure(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

/** The `Status` a successful delete answers when the object is gone at once. */
export function successStatus(gr: GroupResource, name: string, uid?: string): V1Status {
  const details: V1Status['details'] = { ...resourceDetails(gr, name) };
  if (uid) details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
