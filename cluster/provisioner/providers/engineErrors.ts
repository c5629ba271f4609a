// Docker Engine API errors, classified by HTTP status (never by message text). dockerode puts the
// status on `statusCode`. https://docs.docker.com/reference/api/engine/

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
};

export const isNotFound = (err: unknown): boolean => statusOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusOf(err) === 409;
/** 304: the container was already started or stopped. */
export const isNotModified = (err: unknown): boolean => statusOf(err) === 304;

const reasons: Record<number, string> = {
  304: 'NotModified',
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** A stable reason code for an engine error (`Conflict`), or undefined for errors not from the engine. */
export function engineReason(err: unknown): string | undefined {
  const status = statusOf(err);
  return status === undefined ? undefined : (reasons[status] ?? `Http${status}`);
}

/** An error shaped like dockerode's, for the fake provider and tests. */
export function engineError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode });
}

/** A `.catch` handler that swallows errors passing `test` (e.g. isNotFound on remove) and rethrows the rest. */
export const ignoreIf = (test: (err: unknown) => boolean) => (err: unknown) => {
  if (!test(err)) throw err;
};
