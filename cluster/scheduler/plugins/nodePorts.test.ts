import type { V1ContainerPort } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { filterOn, info, testCluster, testNode, testPod } from '../testing/fixtures';
import { errReasonPortsTaken, nodePorts } from './nodePorts';

const withPorts = (name: string, ports: V1ContainerPort[], nodeName?: string) =>
  testPod(name, { containers: [{ name: 'app', image: 'nginx', ports }], ...(nodeName ? { nodeName } : {}) });

describe('NodePorts', () => {
  const cluster = testCluster(
    [testNode('a'), testNode('b')],
    [
      withPorts('web', [{ containerPort: 80, hostPort: 8080 }], 'a'),
      withPorts('dns', [{ containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }], 'b'),
    ],
  );
  const wanting = (ports: V1ContainerPort[]) =>
    info('new', { containers: [{ name: 'app', image: 'nginx', ports }] });

  it('rejects a node where the host port is taken on the same protocol', () => {
    expect(filterOn(nodePorts, wanting([{ containerPort: 80, hostPort: 8080 }]), cluster, 'a')).toMatchObject(
      {
        code: 'Unschedulable',
        reasons: [errReasonPortsTaken],
      },
    );
    expect(
      filterOn(nodePorts, wanting([{ containerPort: 80, hostPort: 8080 }]), cluster, 'b'),
    ).toBeUndefined();
    expect(
      filterOn(nodePorts, wanting([{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }]), cluster, 'a'),
    ).toBeUndefined();
  });

  it('treats 0.0.0.0 as conflicting with every address, and distinct addresses as free', () => {
    expect(
      filterOn(nodePorts, wanting([{ containerPort: 53, hostPort: 53, protocol: 'UDP' }]), cluster, 'b'),
    ).toBeDefined();
    expect(
      filterOn(
        nodePorts,
        wanting([{ containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.2' }]),
        cluster,
        'b',
      ),
    ).toBeUndefined();
  });

  it('has no say for pods without host ports', () => {
    expect(nodePorts.preFilter(wanting([{ containerPort: 80 }]), cluster)).toBeUndefined();
  });
});
