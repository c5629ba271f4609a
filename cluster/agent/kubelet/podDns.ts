import type { V1Pod } from '@kubernetes/client-node';
import type Docker from 'dockerode';
import type { HostConfig } from 'dockerode';
import { defaultZone } from '../dns/clusterDnsRecords';
import { type ResolvConf, readResolvConf } from '../dns/upstreamResolver';

// A pod's resolv.conf as the kubelet writes it (pkg/kubelet/network/dns/dns.go), by dnsPolicy:
//   ClusterFirst (default)   the cluster DNS, `<ns>.svc.<zone> svc.<zone> <zone>` + the node's search,
//                            ndots:5 (a hostNetwork pod gets Default instead)
//   ClusterFirstWithHostNet  the cluster DNS, also for hostNetwork pods
//   Default                  the node's resolv.conf
//   None                     only what dnsConfig gives
// then dnsConfig's nameservers and searches appended and its options merged by name. The settings go
// on the pod's infra container; its app containers share that resolv.conf through its network.

export const clusterDnsIP = '10.96.0.10';
/** Kubernetes' limits (pkg/apis/core/validation: MaxDNSNameservers, MaxDNSSearchPaths). */
const maxNameservers = 3;
const maxSearches = 32;

export interface DnsSettings {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export interface NodeDns {
  /** The node's own resolv.conf. */
  resolv: ResolvConf;
  /**
   * Where pods reach the node's DNS server directly (the pod bridge gateway). Loopback resolvers of
   * the node (Docker's 127.0.0.11) mean nothing inside a pod, so Default pods are sent here instead.
   */
  podGateway: string;
}

const optionName = (option: string) => option.split(':')[0] ?? option;

function mergeOptions(base: string[], extra: string[]): string[] {
  const byName = new Map(base.map((o) => [optionName(o), o]));
  for (const option of extra) byName.set(optionName(option), option);
  return [...byName.values()];
}

const unique = (items: string[]) => [...new Set(items)];

function nodeSettings(node: NodeDns): DnsSettings {
  const nameservers = unique(
    node.resolv.nameservers.map((ns) => (ns.startsWith('127.') || ns === '::1' ? node.podGateway : ns)),
  );
  return { nameservers, searches: node.resolv.search, options: node.resolv.options };
}

export function podDnsSettings(
  pod: V1Pod,
  node: NodeDns,
  cluster: { dnsIP: string; zone: string } = { dnsIP: clusterDnsIP, zone: defaultZone },
): DnsSettings {
  const spec = pod.spec;
  const namespace = pod.metadata?.namespace ?? 'default';
  const policy = spec?.dnsPolicy ?? 'ClusterFirst';
  let settings: DnsSettings;
  if (policy === 'None') {
    settings = { nameservers: [], searches: [], options: [] };
  } else if (policy === 'Default' || (policy === 'ClusterFirst' && spec?.hostNetwork)) {
    settings = nodeSettings(node);
  } else {
    settings = {
      nameservers: [cluster.dnsIP],
      searches: [
        `${namespace}.svc.${cluster.zone}`,
        `svc.${cluster.zone}`,
        cluster.zone,
        ...node.resolv.search,
      ],
      options: ['ndots:5'],
    };
  }
  const config = spec?.dnsConfig;
  const extraOptions = (config?.options ?? []).map((o) =>
    o.value !== undefined ? `${o.name}:${o.value}` : `${o.name}`,
  );
  return {
    nameservers: unique([...settings.nameservers, ...(config?.nameservers ?? [])]).slice(0, maxNameservers),
    searches: unique([...settings.searches, ...(config?.searches ?? [])]).slice(0, maxSearches),
    options: mergeOptions(settings.options, extraOptions),
  };
}

/** The Docker create options that make the infra container's resolv.conf say `settings`. */
export function dockerDnsOptions(
  settings: DnsSettings,
): Pick<HostConfig, 'Dns' | 'DnsSearch' | 'DnsOptions'> {
  return {
    ...(settings.nameservers.length ? { Dns: settings.nameservers } : {}),
    ...(settings.searches.length ? { DnsSearch: settings.searches } : {}),
    ...(settings.options.length ? { DnsOptions: settings.options } : {}),
  };
}

let nodeDns: Promise<NodeDns> | undefined;

/** The node's resolver settings, read once per agent (the node's resolv.conf and bridge do not change). */
function readNodeDns(docker: Docker): Promise<NodeDns> {
  nodeDns ??= (async () => {
    const bridge = await docker.getNetwork('bridge').inspect();
    const podGateway =
      (bridge.IPAM?.Config ?? []).find((c: { Gateway?: string }) => c.Gateway)?.Gateway ?? '';
    return { resolv: readResolvConf(), podGateway };
  })().catch((err: unknown) => {
    nodeDns = undefined;
    throw err;
  });
  return nodeDns;
}

/** DNS settings for the infra container of `pod` on this node. */
export async function podDnsHostConfig(
  pod: V1Pod,
  docker: Docker,
): Promise<Pick<HostConfig, 'Dns' | 'DnsSearch' | 'DnsOptions'>> {
  return dockerDnsOptions(podDnsSettings(pod, await readNodeDns(docker)));
}
