import { describe, expect, it } from 'vitest';
import { configurePodNetwork, podNetworkScript } from './podNetwork';
import { createFakeProvider } from './providers/fakeProvider';

const nodes = [
  { name: 'k-node-1', ip: '172.30.0.11', podCidr: '10.244.1.0/24' },
  { name: 'k-node-2', ip: '172.30.0.12', podCidr: '10.244.2.0/24' },
  { name: 'k-node-3', ip: '172.30.0.13', podCidr: '10.244.3.0/24' },
];

describe('podNetworkScript', () => {
  it('routes every other node pod CIDR via that node and keeps only those', () => {
    const script = podNetworkScript(nodes[0] as (typeof nodes)[0], nodes);
    expect(script).toContain('ip route replace 10.244.2.0/24 via 172.30.0.12');
    expect(script).toContain('ip route replace 10.244.3.0/24 via 172.30.0.13');
    expect(script).not.toContain('10.244.1.0/24 via');
    expect(script).toContain('case " 10.244.2.0/24 10.244.3.0/24 "');
  });

  it('does not masquerade pod to pod traffic and accepts forwarded traffic, idempotently', () => {
    const script = podNetworkScript(nodes[1] as (typeof nodes)[0], nodes);
    expect(script).toContain('iptables -t nat -C POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN');
    expect(script).toContain(
      'iptables -C DOCKER-USER -j ACCEPT 2>/dev/null || iptables -I DOCKER-USER 1 -j ACCEPT',
    );
  });
});

describe('configurePodNetwork', () => {
  it('runs the script on each running node and fails naming the command when one fails', async () => {
    const provider = createFakeProvider();
    provider.setExecHandler((node) =>
      node.name === 'k-node-2'
        ? { exitCode: 2, stdout: '', stderr: 'RTNETLINK answers: Network is unreachable' }
        : { exitCode: 0, stdout: '', stderr: '' },
    );
    const handles = nodes.map((n, i) => ({
      ...n,
      id: `c${i}`,
      cluster: 'k',
      index: i + 1,
      image: 'img',
      volume: `v${i}`,
      running: i !== 2,
      mode: 'capabilities' as const,
      labels: {},
    }));
    for (const h of handles) provider.nodes.set(h.name, h);
    await expect(configurePodNetwork(provider, handles)).rejects.toThrow(/exited with 2: RTNETLINK/);
    expect(provider.execs.map((e) => e.node).sort()).toEqual(['k-node-1', 'k-node-2']);
  });
});
