import type { V1EndpointSlice } from '@kubernetes/client-node';

// The proxy and the cluster DNS both read a Service's endpoints from its EndpointSlices, found by
// the service-name label (discovery/v1); both serve IPv4 only.

const serviceNameLabel = 'kubernetes.io/service-name';

/** IPv4 EndpointSlices grouped by their Service, keyed `namespace/name`. */
export function slicesByService(slices: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  const map = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[serviceNameLabel];
    if (!service || slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata?.namespace}/${service}`;
    map.set(key, [...(map.get(key) ?? []), slice]);
  }
  return map;
}
