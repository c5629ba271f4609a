// Helpers the in-process lifecycle loops share.

import { storageLocation } from '../../registry/objectStore';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';
import { isApiError } from '../status';

/** Listable resources, one per storage location (resources served in two versions appear once). */
export function storedResources(catalog: ResourceCatalog): ResourceInfo[] {
  const seen = new Set<string>();
  return catalog.resources.filter((r) => {
    const key = storageLocation(r);
    if (seen.has(key) || !r.verbs.includes('list')) return false;
    seen.add(key);
    return true;
  });
}

/** Swallows the errors that mean someone else already did the work (404, or 409 for creates). */
export function ignoreDone(err: unknown): void {
  if (isApiError(err) && (err.code === 404 || err.code === 409)) return;
  throw err;
}
