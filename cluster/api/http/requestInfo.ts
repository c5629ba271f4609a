// Parses an API path into what it addresses, as apiserver's RequestInfoFactory does:
// /api/v1/namespaces/ns/pods/web/status → group '', version v1, namespace ns, pods, web, status.

export interface ResourceRequest {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

/** Subresources of a namespace that would otherwise parse as a resource named in that namespace. */
const namespaceSubresources = new Set(['status', 'finalize']);

export function parseResourcePath(pathname: string): ResourceRequest | undefined {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    // Malformed %-escapes address nothing.
    return undefined;
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  const req: ResourceRequest = { group, version, resource: '', watchPath };
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    const ns = rest[1] as string;
    if (rest.length === 2 || (rest.length === 3 && namespaceSubresources.has(rest[2] as string))) {
      return { ...req, resource: 'namespaces', name: ns, ...(rest[2] ? { subresource: rest[2] } : {}) };
    }
    req.namespace = ns;
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  req.resource = rest[0] as string;
  if (rest[1] !== undefined) req.name = rest[1];
  if (rest[2] !== undefined) req.subresource = rest[2];
  return req;
}
