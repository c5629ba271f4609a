// The resources objects are stored under, for controllers that work across all of them (the
// garbage collector, the namespace controller).

import { storageLocation } from '../../registry/objectStore';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';

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
