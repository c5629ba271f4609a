// A patch that cannot be applied to the object; the API server answers it with a 4xx Status.
export class PatchError extends Error {
  override name = 'PatchError';
}
