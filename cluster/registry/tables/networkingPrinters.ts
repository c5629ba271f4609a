// Printers for networking.k8s.io and discovery.k8s.io kinds, after kubernetes
// `pkg/printers/internalversion`.
import type { V1EndpointSlice, V1Ingress, V1IngressClass, V1NetworkPolicy } from '@kubernetes/client-node';
import { ageColumn, column, formatLabelSelector, listWithMore, nameColumn, since } from './cellFormat';
import type { Printer } from './tableTypes';

function ingressHosts(ing: V1Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const hosts: string[] = [];
  let more = false;
  // Like Kubernetes: up to three hosts; "more" once a rule follows the third, counting every rule.
  for (const rule of rules) {
    if (hosts.length === 3) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

function ingressAddress(ing: V1Ingress): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'The name of the IngressClass resource that should be used for additional configuration'),
    column('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells: (ing: V1Ingress, now: Date) => [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? '<none>',
    ingressHosts(ing),
    ingressAddress(ing),
    (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    since(ing.metadata?.creationTimestamp, now),
  ],
};

export const ingressClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'Controller that is responsible for handling this class'),
    column('Parameters', 'A reference to a resource with additional parameters'),
    ageColumn,
  ],
  cells: (ic: V1IngressClass, now: Date) => {
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [
      ic.metadata?.name ?? '',
      ic.spec?.controller ?? '',
      parameters,
      since(ic.metadata?.creationTimestamp, now),
    ];
  },
};

export const networkPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    column('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'),
    ageColumn,
  ],
  cells: (np: V1NetworkPolicy, now: Date) => [
    np.metadata?.name ?? '',
    // An empty podSelector selects every pod and prints as <none>.
    formatLabelSelector(np.spec?.podSelector ?? {}),
    since(np.metadata?.creationTimestamp, now),
  ],
};

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells: (es: V1EndpointSlice, now: Date) => {
    const ports = (es.ports ?? []).map((p) =>
      p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'),
    );
    const addresses = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      es.metadata?.name ?? '',
      es.addressType ?? '',
      listWithMore(ports, 3),
      listWithMore(addresses, 3),
      since(es.metadata?.creationTimestamp, now),
    ];
  },
};
