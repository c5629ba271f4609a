import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { dockerDnsOptions, podDnsSettings } from './podDns';

const node = {
  resolv: { nameservers: ['127.0.0.11', '192.168.1.1'], search: ['corp.example'], options: ['ndots:0'] },
  podGateway: '10.244.1.1',
};
const pod = (spec: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'shop' },
  spec: { containers: [], ...spec },
});

describe('podDnsSettings', () => {
  it('gives ClusterFirst pods the cluster DNS, the namespace search list and ndots:5', () => {
    expect(podDnsSettings(pod(), node)).toEqual({
      nameservers: ['10.96.0.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:5'],
    });
  });

  it('gives Default pods the node resolvers, with loopback ones replaced by the pod gateway', () => {
    expect(podDnsSettings(pod({ dnsPolicy: 'Default' }), node)).toEqual({
      nameservers: ['10.244.1.1', '192.168.1.1'],
      searches: ['corp.example'],
      options: ['ndots:0'],
    });
  });

  it('treats ClusterFirst on the host network as Default, unless ClusterFirstWithHostNet', () => {
    expect(podDnsSettings(pod({ hostNetwork: true }), node).nameservers).toEqual([
      '10.244.1.1',
      '192.168.1.1',
    ]);
    expect(
      podDnsSettings(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), node).nameservers,
    ).toEqual(['10.96.0.10']);
  });

  it('takes only dnsConfig under None, and merges dnsConfig into other policies', () => {
    const dnsConfig = {
      nameservers: ['1.1.1.1'],
      searches: ['extra.example'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    };
    expect(podDnsSettings(pod({ dnsPolicy: 'None', dnsConfig }), node)).toEqual({
      nameservers: ['1.1.1.1'],
      searches: ['extra.example'],
      options: ['ndots:2', 'edns0'],
    });
    expect(podDnsSettings(pod({ dnsConfig }), node)).toEqual({
      nameservers: ['10.96.0.10', '1.1.1.1'],
      searches: [
        'shop.svc.cluster.local',
        'svc.cluster.local',
        'cluster.local',
        'corp.example',
        'extra.example',
      ],
      options: ['ndots:2', 'edns0'],
    });
  });

  it('becomes Docker create options, leaving out what is empty', () => {
    expect(dockerDnsOptions({ nameservers: ['10.96.0.10'], searches: [], options: ['ndots:5'] })).toEqual({
      Dns: ['10.96.0.10'],
      DnsOptions: ['ndots:5'],
    });
  });
});
