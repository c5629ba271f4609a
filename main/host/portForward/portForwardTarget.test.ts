import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  chooseReadyPod,
  parsePortPair,
  parseTarget,
  podIsReady,
  servicePortToPodPort,
} from './portForwardTarget';

const pod = (
  name: string,
  overrides: { ready?: boolean; phase?: string; deleting?: boolean } = {},
): V1Pod => ({
  metadata: { name, ...(overrides.deleting ? { deletionTimestamp: new Date() } : {}) },
  spec: { containers: [{ name: 'app', image: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: {
    phase: overrides.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: overrides.ready === false ? 'False' : 'True' }],
  },
});

describe('parseTarget', () => {
  it('reads the forms kubectl accepts', () => {
    expect(parseTarget('svc/web')).toEqual({ kind: 'service', name: 'web' });
    expect(parseTarget('service/web')).toEqual({ kind: 'service', name: 'web' });
    expect(parseTarget('deploy/web')).toEqual({ kind: 'deployment', name: 'web' });
    expect(parseTarget('deployment.apps/web')).toEqual({ kind: 'deployment', name: 'web' });
    expect(parseTarget('pod/web-0')).toEqual({ kind: 'pod', name: 'web-0' });
    expect(parseTarget('web-0')).toEqual({ kind: 'pod', name: 'web-0' });
  });

  it('refuses kinds it cannot forward to, and names with more parts', () => {
    expect(() => parseTarget('configmap/x')).toThrow(/cannot forward to "configmap"/);
    expect(() => parseTarget('svc/a/b')).toThrow(/does not name one service/);
    expect(() => parseTarget('svc/')).toThrow(/does not name one service/);
  });
});

describe('parsePortPair', () => {
  it('reads LOCAL:REMOTE, a single port, and :REMOTE for any local port', () => {
    expect(parsePortPair('8080:80')).toEqual({ localPort: 8080, remotePort: 80 });
    expect(parsePortPair('80')).toEqual({ localPort: 80, remotePort: 80 });
    expect(parsePortPair(':80')).toEqual({ localPort: 0, remotePort: 80 });
  });

  it('refuses what is not a port', () => {
    for (const bad of ['http', '8080:', '70000:80', '1:2:3', '0']) expect(() => parsePortPair(bad)).toThrow();
  });
});

describe('choosing a pod per connection', () => {
  it('counts only running, Ready pods that are not being deleted', () => {
    expect(podIsReady(pod('a'))).toBe(true);
    expect(podIsReady(pod('b', { ready: false }))).toBe(false);
    expect(podIsReady(pod('c', { phase: 'Pending' }))).toBe(false);
    expect(podIsReady(pod('d', { deleting: true }))).toBe(false);
  });

  it('spreads over the Ready pods and says which target has none', () => {
    const pods = [pod('old', { deleting: true }), pod('a'), pod('b'), pod('c', { ready: false })];
    expect(chooseReadyPod(pods, 'service/web', () => 0).metadata?.name).toBe('a');
    expect(chooseReadyPod(pods, 'service/web', () => 0.99).metadata?.name).toBe('b');
    expect(() => chooseReadyPod([pod('old', { deleting: true })], 'service/web')).toThrow(
      'no Ready pod behind service/web',
    );
  });
});

describe('servicePortToPodPort', () => {
  const svc = (targetPort?: number | string): V1Service => ({
    metadata: { name: 'web' },
    spec: { ports: [{ port: 80, ...(targetPort === undefined ? {} : { targetPort }) }] },
  });

  it('follows a numeric targetPort, a named one through the pod, and defaults to the port itself', () => {
    expect(servicePortToPodPort(svc(8080), 80, pod('a'))).toBe(8080);
    expect(servicePortToPodPort(svc('http'), 80, pod('a'))).toBe(8080);
    expect(servicePortToPodPort(svc(), 80, pod('a'))).toBe(80);
  });

  it('says so when the Service has no such port, or the pod no such named port', () => {
    expect(() => servicePortToPodPort(svc(8080), 81, pod('a'))).toThrow(
      'Service web does not have a service port 81',
    );
    expect(() => servicePortToPodPort(svc('grpc'), 80, pod('a'))).toThrow(/no container port named grpc/);
  });
});
