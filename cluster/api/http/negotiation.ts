// Reading the Accept header: Table and aggregated-discovery media types with their parameters.

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    const out: MediaType = { type: type.toLowerCase(), params: {} };
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq > 0) out.params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return out;
  });
}

/** Whether the client prefers a meta.k8s.io Table (kubectl get). */
export function wantsTable(header: string | undefined): boolean {
  const first = parseAccept(header).find((m) => m.type === 'application/json' || m.type === '*/*');
  return first?.params.as === 'Table' && first.params.g === 'meta.k8s.io';
}

/** The aggregated discovery version the client asks for first, if any. */
export function aggregatedDiscoveryVersion(header: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(header)) {
    if (m.type !== 'application/json') continue;
    if (m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v;
    }
    if (!m.params.as) return undefined;
  }
  return undefined;
}
