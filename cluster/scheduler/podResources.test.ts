import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podNonZeroRequests, podRequests } from './podResources';

const container = (name: string, requests?: Record<string, string>, sidecar = false): V1Container => ({
  name,
  image: 'app',
  ...(requests ? { resources: { requests } } : {}),
  ...(sidecar ? { restartPolicy: 'Always' } : {}),
});

const pod = (spec: Partial<V1Pod['spec']>): V1Pod => ({ spec: { containers: [], ...spec } });

describe('pod requests', () => {
  it('adds the requests of containers', () => {
    const r = podRequests(
      pod({
        containers: [
          container('a', { cpu: '250m', memory: '64Mi' }),
          container('b', { cpu: '1', 'example.com/gpu': '1' }),
        ],
      }),
    );
    expect(r.milliCpu).toBe(1250);
    expect(r.memory).toBe(64 * 1024 ** 2);
    expect(r.scalars.get('example.com/gpu')).toBe(1);
  });

  it('takes the largest init container when it exceeds the containers (the documented example)', () => {
    const r = podRequests(
      pod({
        initContainers: [
          container('ic1', { cpu: '2', memory: '1G' }),
          container('ic2', { cpu: '2', memory: '3G' }),
        ],
        containers: [
          container('c1', { cpu: '2', memory: '1G' }),
          container('c2', { cpu: '1', memory: '1G' }),
        ],
      }),
    );
    expect(r.milliCpu).toBe(3000);
    expect(r.memory).toBe(3e9);
  });

  it('counts sidecars alongside the containers and under later init containers', () => {
    const r = podRequests(
      pod({
        initContainers: [container('proxy', { cpu: '500m' }, true), container('migrate', { cpu: '1' })],
        containers: [container('app', { cpu: '200m' })],
      }),
    );
    // containers + sidecar = 700m; migrate runs beside the sidecar = 1500m.
    expect(r.milliCpu).toBe(1500);
  });

  it('adds the pod overhead', () => {
    const r = podRequests(pod({ containers: [container('a', { cpu: '100m' })], overhead: { cpu: '250m' } }));
    expect(r.milliCpu).toBe(350);
  });

  it('gives containers without requests the scoring defaults', () => {
    expect(podNonZeroRequests(pod({ containers: [container('a'), container('b', { cpu: '1' })] }))).toEqual({
      milliCpu: 1100,
      memory: 400 * 1024 ** 2,
    });
  });
});
