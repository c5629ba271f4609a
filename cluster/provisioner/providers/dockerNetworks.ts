import { networkInterfaces } from 'node:os';
import { overlapCidr } from 'cidr-tools';
import type Docker from 'dockerode';
import { labelKeys, roles } from '../labels';
import { ignoreIf, isNotFound } from './engineErrors';
import type { NetworkInfo, NetworkSpec, NodeProvider } from './nodeProvider';

// The cluster network: one user-defined bridge per cluster, on a subnet no other network or local
// interface uses. ensureNetwork is idempotent and safe to call concurrently.

/** Subnets in use: the engine's networks and, for a local engine, this machine's own interfaces. */
async function usedSubnets(docker: Docker): Promise<string[]> {
  const networks = await docker.listNetworks();
  const engine = networks.flatMap((n) =>
    (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s),
  );
  const local = Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.cidr)
    .filter((c): c is string => !!c);
  return [...engine, ...local];
}

const gatewayOf = (subnet: string) => subnet.replace(/\.0\/\d+$/, '.1');

export function dockerNetworks(docker: Docker): Pick<NodeProvider, 'ensureNetwork' | 'removeNetwork'> {
  const networkLocks = new Map<string, Promise<unknown>>();

  const findNetworks = async (name: string) =>
    (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);

  const networkInfo = (network: Docker.NetworkInspectInfo, spec: NetworkSpec): NetworkInfo => {
    if (network.Labels?.[labelKeys.cluster] !== spec.cluster) {
      throw new Error(`network ${spec.name} exists but does not belong to cluster ${spec.cluster}`);
    }
    const config = network.IPAM?.Config?.[0];
    if (!config?.Subnet) throw new Error(`network ${spec.name} has no IPv4 subnet`);
    return {
      name: network.Name,
      id: network.Id,
      subnet: config.Subnet,
      gateway: config.Gateway ?? gatewayOf(config.Subnet),
    };
  };

  // Two engines' clients (two app processes) may still race past the in-process lock and create two
  // networks of one name; keep the oldest and remove the rest, so both end up on the same one.
  const dedupeNetworks = async (spec: NetworkSpec) => {
    const found = (await findNetworks(spec.name)).sort((a, b) =>
      a.Created === b.Created ? a.Id.localeCompare(b.Id) : a.Created.localeCompare(b.Created),
    );
    for (const extra of found.slice(1))
      await docker.getNetwork(extra.Id).remove().catch(ignoreIf(isNotFound));
    const kept = found[0];
    if (!kept) throw new Error(`network ${spec.name} disappeared while being created`);
    return networkInfo(kept, spec);
  };

  const createNetwork = async (spec: NetworkSpec): Promise<NetworkInfo> => {
    const existing = (await findNetworks(spec.name))[0];
    if (existing) return networkInfo(existing, spec);
    const used = await usedSubnets(docker);
    for (const subnet of spec.candidateSubnets) {
      if (used.some((u) => overlapCidr(u, subnet))) continue;
      try {
        await docker.createNetwork({
          Name: spec.name,
          Driver: 'bridge',
          CheckDuplicate: true,
          IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gatewayOf(subnet) }] },
          Labels: { [labelKeys.cluster]: spec.cluster, [labelKeys.role]: roles.network },
        });
      } catch (err) {
        // Someone else created it, or took this subnet in the meantime: look again before giving up.
        if ((await findNetworks(spec.name)).length > 0) break;
        const nowUsed = await usedSubnets(docker);
        if (nowUsed.some((u) => overlapCidr(u, subnet))) continue;
        throw err;
      }
      break;
    }
    if ((await findNetworks(spec.name)).length === 0) {
      throw new Error(
        `no free subnet for network ${spec.name} among ${spec.candidateSubnets.length} candidates`,
      );
    }
    return dedupeNetworks(spec);
  };

  return {
    ensureNetwork(spec) {
      // One create at a time per name in this process; see dedupeNetworks for other processes.
      const previous = networkLocks.get(spec.name) ?? Promise.resolve();
      const next = previous.catch(() => {}).then(() => createNetwork(spec));
      networkLocks.set(spec.name, next);
      return next;
    },

    async removeNetwork(name) {
      for (const network of await findNetworks(name)) {
        await docker.getNetwork(network.Id).remove().catch(ignoreIf(isNotFound));
      }
    },
  };
}
