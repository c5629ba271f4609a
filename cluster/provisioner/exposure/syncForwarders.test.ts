import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { engineError } from '../providers/engineErrors';
import { type ForwarderContainer, forwarderContainerOptions } from './forwarderContainer';
import type { ForwarderEngine } from './forwarderEngine';
import { desiredLoadBalancerStatus } from './loadBalancerStatus';
import { type ForwarderPlan, planExposure } from './planExposure';
import { removeForwarders, syncForwarders } from './syncForwarders';

// The sync against an in-memory engine that, like Docker, refuses a host port already bound.

function fakeEngine(boundElsewhere: Set<number>) {
  const containers = new Map<string, ForwarderContainer & { hostPort: number }>();
  const calls: string[] = [];
  let nextId = 1;
  const engine: ForwarderEngine = {
    async list() {
      return [...containers.values()];
    },
    async create(plan: ForwarderPlan) {
      calls.push(`create ${plan.name}`);
      const taken = [...containers.values()].some((c) => c.hostPort === plan.hostPort);
      if (boundElsewhere.has(plan.hostPort) || taken) {
        throw Object.assign(engineError(500, 'server error'), {
          json: { message: `Bind for 127.0.0.1:${plan.hostPort} failed: port is already allocated` },
        });
      }
      containers.set(plan.name, {
        id: `c${nextId++}`,
        name: plan.name,
        specHash: plan.specHash,
        running: true,
        hostPort: plan.hostPort,
      });
    },
    async remove(container) {
      calls.push(`remove ${container.name}`);
      containers.delete(container.name);
    },
  };
  return { engine, containers, calls };
}

const lb = (name: string, port: number, nodePort: number, uid = `uid-${name}`): V1Service => ({
  metadata: { name, namespace: 'default', uid, creationTimestamp: new Date('2025-01-01T00:00:00Z') },
  spec: { type: 'LoadBalancer', ports: [{ port, nodePort }] },
});

const plan = (services: V1Service[], nodeIps = ['172.30.0.11']) =>
  planExposure({ cluster: 'kd', enabled: true, services, nodeIps, image: 'img', network: 'kd-net' })
    .forwarders;

describe('syncForwarders', () => {
  it('creates missing forwarders, keeps matching ones, and replaces those whose spec changed', async () => {
    const { engine, calls } = fakeEngine(new Set());
    const first = await syncForwarders(engine, 'kd', plan([lb('web', 80, 30080), lb('api', 81, 30081)]));
    expect(first.created.map((f) => f.name).sort()).toEqual(['kd-port-80-tcp', 'kd-port-81-tcp']);
    calls.length = 0;
    const again = await syncForwarders(engine, 'kd', plan([lb('web', 80, 30080), lb('api', 81, 30081)]));
    expect(again.created).toEqual([]);
    expect(again.running).toHaveLength(2);
    expect(calls).toEqual([]);
    const moved = await syncForwarders(
      engine,
      'kd',
      plan([lb('web', 80, 30080), lb('api', 81, 30081)], ['172.30.0.11', '172.30.0.12']),
    );
    expect(moved.created).toHaveLength(2);
    expect(calls.slice(0, 2).every((c) => c.startsWith('remove'))).toBe(true);
  });

  it('frees the port of a deleted Service before another Service claims it', async () => {
    const { engine, calls } = fakeEngine(new Set());
    await syncForwarders(engine, 'kd', plan([lb('old', 80, 30080)]));
    calls.length = 0;
    const result = await syncForwarders(engine, 'kd', plan([lb('new', 80, 30090)]));
    expect(calls).toEqual(['remove kd-port-80-tcp', 'create kd-port-80-tcp']);
    expect(result.failed).toEqual([]);
  });

  it('returns the engine’s words for a host port in use, and keeps the other forwarders', async () => {
    const { engine } = fakeEngine(new Set([8080]));
    const result = await syncForwarders(
      engine,
      'kd',
      plan([lb('busy', 8080, 30080), lb('free', 8081, 30081)]),
    );
    expect(result.running.map((f) => f.hostPort)).toEqual([8081]);
    expect(result.failed).toEqual([
      {
        forwarder: expect.objectContaining({ hostPort: 8080 }),
        message: 'Bind for 127.0.0.1:8080 failed: port is already allocated',
      },
    ]);
  });

  it('removes every forwarder of the cluster on stop', async () => {
    const { engine, containers } = fakeEngine(new Set());
    await syncForwarders(engine, 'kd', plan([lb('web', 80, 30080)]));
    await removeForwarders(engine, 'kd');
    expect(containers.size).toBe(0);
  });
});

describe('desiredLoadBalancerStatus', () => {
  it('reads localhost once every port is published, and nothing while one is not', async () => {
    const svc: V1Service = {
      metadata: { name: 'two', namespace: 'default', uid: 'uid-two' },
      spec: {
        type: 'LoadBalancer',
        ports: [
          { name: 'a', port: 80, nodePort: 30080 },
          { name: 'b', port: 8080, nodePort: 30081 },
        ],
      },
    };
    const all = plan([svc]);
    expect(desiredLoadBalancerStatus(svc, all)).toEqual({ ingress: [{ hostname: 'localhost' }] });
    expect(desiredLoadBalancerStatus(svc, all.slice(1))).toEqual({});
    expect(desiredLoadBalancerStatus({ ...svc, spec: { ...svc.spec, type: 'NodePort' } }, all)).toEqual({});
  });
});

describe('forwarderContainerOptions', () => {
  it('publishes the port on the host loopback only, on the cluster network, labelled for the next sync', () => {
    const [forwarder] = plan([lb('web', 80, 30080)]);
    if (!forwarder) throw new Error('no forwarder planned');
    const options = forwarderContainerOptions(forwarder);
    expect(options.HostConfig?.PortBindings).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '80' }] });
    expect(options.HostConfig?.NetworkMode).toBe('kd-net');
    expect(options.Labels).toMatchObject({
      'kubedesk.io/cluster': 'kd',
      'kubedesk.io/role': 'service-forwarder',
      'kubedesk.io/service': 'default/web',
      'kubedesk.io/forwarder-spec': forwarder.specHash,
    });
    const config = JSON.parse(options.Env?.[0]?.split('=').slice(1).join('=') ?? '{}');
    expect(config).toEqual({ protocol: 'TCP', listenPort: 80, targets: ['172.30.0.11:30080'] });
  });
});
