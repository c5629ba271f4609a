import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nodeEndpoints } from './kubeDnsEndpointsController';

const node = (name: string, ip: string | undefined, ready: boolean): V1Node => ({
  metadata: { name },
  status: {
    ...(ip ? { addresses: [{ type: 'InternalIP', address: ip }] } : {}),
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});

describe('nodeEndpoints', () => {
  it('lists every node with an InternalIP, sorted by name, ready when the node is', () => {
    expect(
      nodeEndpoints([
        node('n2', '172.30.0.12', false),
        node('n1', '172.30.0.11', true),
        node('n3', undefined, true),
      ]),
    ).toEqual([
      { node: 'n1', ip: '172.30.0.11', ready: true },
      { node: 'n2', ip: '172.30.0.12', ready: false },
    ]);
  });
});
