import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { KService } from './komposeService';
import { SELECTOR } from './labels';
import type { WarningSink } from './warnings';

// --generate-network-policies: one NetworkPolicy per compose network, letting in traffic only
// from pods on the same network; pods carry one label per network they join.

const NETWORK_LABEL = 'io.kompose.network/';

export function networkLabels(name: string, networks: string[]): Record<string, string> {
  return { [SELECTOR]: name, ...Object.fromEntries(networks.map((n) => [`${NETWORK_LABEL}${n}`, 'true'])) };
}

export function networkPolicies(service: KService, warnings: WarningSink): V1NetworkPolicy[] {
  return service.networks.map((network) => {
    warnings.kompose(
      `Network ${network} is detected at Source, shall be converted to equivalent NetworkPolicy at Destination`,
      service.compose.name,
      'networks',
    );
    const selector = { matchLabels: { [`${NETWORK_LABEL}${network}`]: 'true' } };
    // client-node's model calls the field `_from`; the object we emit uses the wire name `from`.
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: network },
      spec: { podSelector: selector, ingress: [{ from: [{ podSelector: selector }] }] },
    };
    return policy as unknown as V1NetworkPolicy;
  });
}
