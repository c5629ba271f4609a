import { describe, expect, it } from 'vitest';
import { labelKeys } from './labels';
import { nextNodeIndex, planNodes, validateClusterName } from './planNodes';

const network = { name: 'kubedesk-net', subnet: '172.30.4.0/24', gateway: '172.30.4.1' };

describe('planNodes', () => {
  it('names nodes after the default cluster and gives each its pod CIDR, bridge and fixed IP', () => {
    const plans = planNodes({ nodes: 3, image: 'kubedesk-node:abc', network, hostGatewayIp: '172.30.4.1' });
    expect(plans.map((p) => [p.name, p.hostname, p.podCidr, p.bridgeIp, p.ip, p.volume])).toEqual([
      [
        'kubedesk-node-1',
        'kubedesk-node-1',
        '10.244.1.0/24',
        '10.244.1.1/24',
        '172.30.4.11',
        'kubedesk-node-1-docker',
      ],
      [
        'kubedesk-node-2',
        'kubedesk-node-2',
        '10.244.2.0/24',
        '10.244.2.1/24',
        '172.30.4.12',
        'kubedesk-node-2-docker',
      ],
      [
        'kubedesk-node-3',
        'kubedesk-node-3',
        '10.244.3.0/24',
        '10.244.3.1/24',
        '172.30.4.13',
        'kubedesk-node-3-docker',
      ],
    ]);
    expect(plans[0]?.extraHosts).toEqual(['host.docker.internal:172.30.4.1']);
    expect(plans[0]?.kubeletPort).toBe(10250);
    expect(plans[1]?.env).toMatchObject({ KUBEDESK_NODE_INDEX: '2', KUBEDESK_NODE_NAME: 'kubedesk-node-2' });
    expect(plans[2]?.labels).toMatchObject({
      [labelKeys.cluster]: 'kubedesk',
      [labelKeys.role]: 'node',
      [labelKeys.nodeIndex]: '3',
    });
  });

  it('derives every name from the cluster name so two installations never collide', () => {
    const [plan] = planNodes({ name: 'work', nodes: 1, image: 'i', network });
    expect(plan).toMatchObject({ name: 'work-node-1', volume: 'work-node-1-docker', cluster: 'work' });
    expect(plan?.extraHosts).toEqual([]);
  });

  it('plans nothing for zero nodes and rejects counts out of range', () => {
    expect(planNodes({ nodes: 0, image: 'i', network })).toEqual([]);
    expect(() => planNodes({ nodes: -1, image: 'i', network })).toThrow(/out of range/);
    expect(() => planNodes({ nodes: 1.5, image: 'i', network })).toThrow(/out of range/);
  });

  it('rejects cluster names Docker or DNS would not take', () => {
    expect(() => validateClusterName('My_Cluster')).toThrow(/invalid/);
    expect(validateClusterName('dev-2')).toBe('dev-2');
  });

  it('refuses a subnet too small for the node', () => {
    expect(() =>
      planNodes({ nodes: 10, image: 'i', network: { ...network, subnet: '172.30.4.0/28' } }),
    ).toThrow(/no address for node/);
  });
});

describe('nextNodeIndex', () => {
  it('reuses the lowest free index', () => {
    expect(nextNodeIndex([])).toBe(1);
    expect(nextNodeIndex([1, 3])).toBe(2);
    expect(nextNodeIndex([1, 2, 3])).toBe(4);
  });
});
