import { createHash } from 'node:crypto';
import type { SavedTables } from './iptablesSave';
import type { ProxyEndpoint, ServicePort } from './servicePorts';

// Pure: the `iptables-restore --noflush` input that brings the node's nat and filter tables to the
// desired Service rules, modelled on kube-proxy's iptables mode
// (https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/iptables/proxier.go):
//
//   nat  PREROUTING/OUTPUT → KUBEDESK-SERVICES: cluster IP / external IP → SVC (all endpoints) or SVL
//        (endpoints on this node), local addresses → KUBEDESK-NODEPORTS → EXT → SVC/SVL;
//        SVC/SVL pick a SEP chain with `statistic --mode random` (or `recent` for ClientIP affinity);
//        SEP DNATs. Traffic that must be masqueraded (from outside the pod network, hairpin, NodePort)
//        is marked and masqueraded in KUBEDESK-POSTROUTING.
//   filter INPUT/FORWARD/OUTPUT → REJECT for Services without endpoints, DROP for Local traffic
//        policies without local endpoints (new connections only).
//
// Every chain named KUBEDESK-* is ours: each sync redeclares (flushes) the ones it wants and deletes
// the rest. The jumps from built-in chains are kept first in their chains and never duplicated.

export const chainPrefix = 'KUBEDESK-';
const services = 'KUBEDESK-SERVICES';
const nodePorts = 'KUBEDESK-NODEPORTS';
const postrouting = 'KUBEDESK-POSTROUTING';
const markMasq = 'KUBEDESK-MARK-MASQ';
const externalServices = 'KUBEDESK-EXTERNAL-SERVICES';
const masqMark = '0x4000';

/** The jumps from built-in chains, per table and chain, in the order they head the chain. */
export const builtinJumps: Record<string, Record<string, string[]>> = {
  nat: {
    PREROUTING: [`-m comment --comment "kubedesk service portals" -j ${services}`],
    OUTPUT: [`-m comment --comment "kubedesk service portals" -j ${services}`],
    POSTROUTING: [`-m comment --comment "kubedesk postrouting rules" -j ${postrouting}`],
  },
  filter: {
    INPUT: [
      `-m conntrack --ctstate NEW -m comment --comment "kubedesk external services" -j ${externalServices}`,
    ],
    FORWARD: [
      `-m conntrack --ctstate NEW -m comment --comment "kubedesk service portals" -j ${services}`,
      `-m conntrack --ctstate NEW -m comment --comment "kubedesk external services" -j ${externalServices}`,
    ],
    OUTPUT: [`-m conntrack --ctstate NEW -m comment --comment "kubedesk service portals" -j ${services}`],
  },
};

export interface ProxyRulesOptions {
  /** The pod network; traffic from elsewhere to a cluster IP is masqueraded. */
  clusterCidr: string;
  /** The current tables, for our chains that must go and the built-in jumps to fix. */
  saved: SavedTables;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12).toUpperCase();
export const serviceChain = (p: ServicePort) => `KUBEDESK-SVC-${hash(`${p.id}/${p.protocol}`)}`;
const localChain = (p: ServicePort) => `KUBEDESK-SVL-${hash(`${p.id}/${p.protocol}`)}`;
const externalChain = (p: ServicePort) => `KUBEDESK-EXT-${hash(`${p.id}/${p.protocol}`)}`;
export const endpointChain = (p: ServicePort, ep: ProxyEndpoint) =>
  `KUBEDESK-SEP-${hash(`${p.id}/${p.protocol}/${ep.ip}:${ep.port}`)}`;

const portMatch = (p: ServicePort, port: number) => {
  const proto = p.protocol.toLowerCase();
  return `-p ${proto} -m ${proto} --dport ${port}`;
};
const comment = (text: string) => `-m comment --comment "${text}"`;
const recent = (name: string) => `--name ${name} --mask 255.255.255.255 --rsource`;

class TableWriter {
  readonly chains = new Set<string>();
  readonly rules: string[] = [];
  chain(name: string): string {
    this.chains.add(name);
    return name;
  }
  add(chain: string, spec: string): void {
    this.rules.push(`-A ${chain} ${spec}`);
  }
}

/** Load-balancing rules of an SVC or SVL chain over `endpoints`. */
function balance(nat: TableWriter, chain: string, p: ServicePort, endpoints: ProxyEndpoint[]): void {
  const targets = endpoints.map((ep) => endpointChain(p, ep));
  if (p.affinitySeconds !== undefined) {
    for (const target of targets)
      nat.add(
        chain,
        `-m recent --rcheck --seconds ${p.affinitySeconds} --reap ${recent(target)} -j ${target}`,
      );
  }
  targets.forEach((target, i) => {
    const remaining = targets.length - i;
    const pick =
      remaining > 1 ? `-m statistic --mode random --probability ${(1 / remaining).toFixed(10)} ` : '';
    nat.add(chain, `${comment(`${p.id} -> ${endpoints[i]?.ip}:${endpoints[i]?.port}`)} ${pick}-j ${target}`);
  });
}

function writeServicePort(nat: TableWriter, filter: TableWriter, p: ServicePort, o: ProxyRulesOptions): void {
  const local = p.endpoints.filter((ep) => ep.local);
  const internal = p.internalLocal ? local : p.endpoints;
  const proto = p.protocol.toLowerCase();
  // What a packet that finds nothing to go to gets: no endpoints at all is an error the client
  // should see at once; no local endpoints under a Local policy is dropped, as kube-proxy does.
  const noEndpoint = (policyLocal: boolean) =>
    p.endpoints.length === 0 || !policyLocal
      ? `${comment(`${p.id} has no endpoints`)} -j REJECT --reject-with icmp-port-unreachable`
      : `${comment(`${p.id} has no local endpoints`)} -j DROP`;

  const svc = p.endpoints.length > 0 ? nat.chain(serviceChain(p)) : undefined;
  const svl = local.length > 0 && (p.internalLocal || p.externalLocal) ? nat.chain(localChain(p)) : undefined;
  if (svc) balance(nat, svc, p, p.endpoints);
  if (svl) balance(nat, svl, p, local);
  for (const ep of p.endpoints) {
    const sep = nat.chain(endpointChain(p, ep));
    // Hairpin: a pod reaching itself through the Service must not see its own address as the source.
    nat.add(sep, `-s ${ep.ip}/32 -j ${markMasq}`);
    if (p.affinitySeconds !== undefined) nat.add(sep, `-p ${proto} -m recent --set ${recent(sep)}`);
    nat.add(sep, `-p ${proto} -m ${proto} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
  }

  for (const ip of p.clusterIPs) {
    const dest = `-d ${ip}/32 ${portMatch(p, p.port)}`;
    if (internal.length === 0) {
      filter.add(services, `${dest} ${noEndpoint(p.internalLocal)}`);
      continue;
    }
    nat.add(services, `! -s ${o.clusterCidr} ${dest} ${comment(`${p.id} cluster IP`)} -j ${markMasq}`);
    nat.add(services, `${dest} ${comment(`${p.id} cluster IP`)} -j ${p.internalLocal ? svl : svc}`);
  }

  if (p.nodePort === undefined && p.externalIPs.length === 0) return;
  // Pods and the node itself reach a Local-policy Service through any endpoint, like a cluster IP.
  const ext = svc && (!p.externalLocal || p.endpoints.length > 0) ? nat.chain(externalChain(p)) : undefined;
  if (ext && svc) {
    if (p.externalLocal) {
      nat.add(ext, `-s ${o.clusterCidr} -j ${svc}`);
      nat.add(ext, `-m addrtype --src-type LOCAL -j ${markMasq}`);
      nat.add(ext, `-m addrtype --src-type LOCAL -j ${svc}`);
      if (svl) nat.add(ext, `-j ${svl}`);
    } else {
      nat.add(ext, `-j ${markMasq}`);
      nat.add(ext, `-j ${svc}`);
    }
  }
  const externalReachesEndpoint = p.externalLocal ? local.length > 0 : p.endpoints.length > 0;
  for (const ip of p.externalIPs) {
    const dest = `-d ${ip}/32 ${portMatch(p, p.port)}`;
    if (ext) nat.add(services, `${dest} ${comment(`${p.id} external IP`)} -j ${ext}`);
    if (!externalReachesEndpoint) filter.add(externalServices, `${dest} ${noEndpoint(p.externalLocal)}`);
  }
  if (p.nodePort !== undefined) {
    const dest = portMatch(p, p.nodePort);
    if (ext) nat.add(nodePorts, `${dest} ${comment(`${p.id} node port`)} -j ${ext}`);
    if (!externalReachesEndpoint)
      filter.add(externalServices, `-m addrtype --dst-type LOCAL ${dest} ${noEndpoint(p.externalLocal)}`);
  }
}

/** `-D`/`-I` lines that leave exactly our jumps, in order, at the head of each built-in chain. */
function fixJumps(table: string, o: ProxyRulesOptions): string[] {
  const lines: string[] = [];
  const saved = o.saved.get(table);
  for (const [chain, wanted] of Object.entries(builtinJumps[table] ?? {})) {
    const rules = saved?.rules.get(chain) ?? [];
    const ours = rules.filter(
      (spec) => / -j KUBEDESK-\S+$/.test(spec) || spec.startsWith(`-j ${chainPrefix}`),
    );
    const inPlace = ours.length === wanted.length && wanted.every((spec, i) => rules[i] === spec);
    if (inPlace) continue;
    for (const spec of ours) lines.push(`-D ${chain} ${spec}`);
    for (const spec of [...wanted].reverse()) lines.push(`-I ${chain} 1 ${spec}`);
  }
  return lines;
}

function renderTable(name: string, writer: TableWriter, o: ProxyRulesOptions): string[] {
  const existing = [...(o.saved.get(name)?.chains ?? [])].filter((c) => c.startsWith(chainPrefix));
  const stale = existing.filter((c) => !writer.chains.has(c)).sort();
  return [
    `*${name}`,
    // Declaring a chain flushes it: ours are rewritten whole, stale ones emptied before deletion.
    ...[...writer.chains, ...stale].map((c) => `:${c} - [0:0]`),
    ...writer.rules,
    ...stale.map((c) => `-X ${c}`),
    ...fixJumps(name, o),
    'COMMIT',
  ];
}

export function proxyRules(ports: readonly ServicePort[], o: ProxyRulesOptions): string {
  const nat = new TableWriter();
  const filter = new TableWriter();
  for (const c of [services, nodePorts, postrouting, markMasq]) nat.chain(c);
  for (const c of [services, externalServices]) filter.chain(c);
  nat.add(postrouting, `-m mark ! --mark ${masqMark}/${masqMark} -j RETURN`);
  // Clear the mark so a packet re-entering the stack (e.g. through a tunnel) is not masqueraded twice.
  nat.add(postrouting, `-j MARK --xor-mark ${masqMark}`);
  nat.add(postrouting, `${comment('kubedesk service traffic requiring SNAT')} -j MASQUERADE --random-fully`);
  nat.add(markMasq, `-j MARK --or-mark ${masqMark}`);
  for (const p of ports) writeServicePort(nat, filter, p, o);
  // Last: anything addressed to this node may be a NodePort.
  nat.add(services, `${comment('kubedesk service nodeports')} -m addrtype --dst-type LOCAL -j ${nodePorts}`);
  return [...renderTable('nat', nat, o), ...renderTable('filter', filter, o), ''].join('\n');
}
