import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { slicesByService } from '../slicesByService';

// Pure: the records of the cluster zone, as the Kubernetes DNS specification defines them
// (https://github.com/kubernetes/dns/blob/master/docs/specification.md), from Services and their
// EndpointSlices:
//   <svc>.<ns>.svc.<zone>                 A: the cluster IP, or the ready endpoints of a headless Service
//   <host>.<svc>.<ns>.svc.<zone>          A: one endpoint of a headless Service (its hostname, or its
//                                         dashed IP when the pod has none)
//   _<port>._<proto>.<svc>.<ns>.svc.<zone> SRV for each named port (<svc>… itself lists all of them)
//   ExternalName Services                 CNAME to spec.externalName
//   PTR for cluster IPs, and for the ready endpoint IPs of every Service (headless or not) as
//   <host>.<svc>.<ns>.svc.<zone>, as CoreDNS's kubernetes plugin answers them. A pod IP behind no
//   Service has no record there either.

export const defaultZone = 'cluster.local';

export interface SrvTarget {
  target: string;
  port: number;
}

export interface NameRecords {
  a: string[];
  srv: SrvTarget[];
  cname?: string;
}

export interface ClusterDnsRecords {
  zone: string;
  /** Lower-case fully qualified name (no trailing dot) → records. */
  names: Map<string, NameRecords>;
  /** Names that exist without records of their own (ancestors of names), for NODATA vs NXDOMAIN. */
  emptyNames: Set<string>;
  /** IPv4 address → PTR targets. */
  ptr: Map<string, string[]>;
}

const dashed = (ip: string) => ip.replaceAll('.', '-');

class RecordsBuilder {
  readonly names = new Map<string, NameRecords>();
  readonly emptyNames = new Set<string>();
  readonly ptr = new Map<string, string[]>();
  constructor(readonly zone: string) {}

  entry(name: string): NameRecords {
    const key = name.toLowerCase();
    let records = this.names.get(key);
    if (!records) {
      records = { a: [], srv: [] };
      this.names.set(key, records);
      // Every ancestor down to the zone exists too (an empty non-terminal answers NODATA).
      let parent = key;
      while (parent.length > this.zone.length && parent.includes('.')) {
        parent = parent.slice(parent.indexOf('.') + 1);
        this.emptyNames.add(parent);
      }
    }
    return records;
  }

  addA(name: string, ip: string): void {
    const records = this.entry(name);
    if (!records.a.includes(ip)) records.a.push(ip);
  }

  addSrv(name: string, srv: SrvTarget): void {
    const records = this.entry(name);
    if (!records.srv.some((s) => s.target === srv.target && s.port === srv.port)) records.srv.push(srv);
  }

  addPtr(ip: string, name: string): void {
    const names = this.ptr.get(ip) ?? [];
    if (!names.includes(name)) this.ptr.set(ip, [...names, name]);
  }
}

/** The ready endpoints of a Service with their names (hostname, else dashed IP) under `base`. */
function* readyEndpoints(base: string, slices: readonly V1EndpointSlice[]) {
  for (const slice of slices) {
    for (const ep of slice.endpoints) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) yield { slice, ip, host: `${ep.hostname ?? dashed(ip)}.${base}` };
    }
  }
}

function addHeadless(b: RecordsBuilder, base: string, slices: readonly V1EndpointSlice[]): void {
  for (const { slice, ip, host } of readyEndpoints(base, slices)) {
    b.addA(base, ip);
    b.addA(host, ip);
    b.addPtr(ip, host);
    for (const port of slice.ports ?? []) {
      if (!port.name || port.port === undefined) continue;
      const srv = { target: host, port: port.port };
      b.addSrv(`_${port.name}._${(port.protocol ?? 'TCP').toLowerCase()}.${base}`, srv);
      b.addSrv(base, srv);
    }
  }
}

export function clusterDnsRecords(
  services: readonly V1Service[],
  slices: readonly V1EndpointSlice[],
  zone = defaultZone,
): ClusterDnsRecords {
  const b = new RecordsBuilder(zone);
  const bySvc = slicesByService(slices);
  for (const svc of services) {
    const namespace = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const spec = svc.spec ?? {};
    const base = `${name}.${namespace}.svc.${zone}`;
    if (spec.type === 'ExternalName') {
      if (spec.externalName) b.entry(base).cname = spec.externalName.replace(/\.$/, '').toLowerCase();
      continue;
    }
    const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter(
      (ip) => ip !== 'None' && ip !== '' && !ip.includes(':'),
    );
    if (clusterIPs.length === 0) {
      b.entry(base);
      addHeadless(b, base, bySvc.get(`${namespace}/${name}`) ?? []);
      continue;
    }
    for (const ip of clusterIPs) {
      b.addA(base, ip);
      b.addPtr(ip, base);
    }
    for (const { ip, host } of readyEndpoints(base, bySvc.get(`${namespace}/${name}`) ?? []))
      b.addPtr(ip, host);
    for (const port of spec.ports ?? []) {
      if (!port.name) continue;
      const srv = { target: base, port: port.port };
      b.addSrv(`_${port.name}._${(port.protocol ?? 'TCP').toLowerCase()}.${base}`, srv);
      b.addSrv(base, srv);
    }
  }
  return { zone, names: b.names, emptyNames: b.emptyNames, ptr: b.ptr };
}
