// A label or field selector that could not be parsed. The API server answers it with 400 BadRequest,
// using `message` as Kubernetes does (`unable to parse requirement: ...`).
export class SelectorParseError extends Error {
  override name = 'SelectorParseError';
}
