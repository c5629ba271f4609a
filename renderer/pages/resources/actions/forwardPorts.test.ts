import { describe, expect, it } from 'vitest';
import { forwardPorts } from './forwardPorts';

describe('ports offered for port-forwarding', () => {
  it("reads a pod's container ports, a Deployment template's and a Service's", () => {
    expect(
      forwardPorts({ spec: { containers: [{ ports: [{ containerPort: 80 }, { containerPort: 9090 }] }] } }),
    ).toEqual([80, 9090]);
    expect(
      forwardPorts({ spec: { template: { spec: { containers: [{ ports: [{ containerPort: 8080 }] }] } } } }),
    ).toEqual([8080]);
    expect(forwardPorts({ spec: { ports: [{ port: 443 }, { port: 443 }] } })).toEqual([443]);
    expect(forwardPorts({ spec: { containers: [{}] } })).toEqual([]);
  });
});
