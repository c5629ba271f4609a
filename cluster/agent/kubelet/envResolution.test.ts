import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ContainerConfigError, type EnvSources, parseQuantity, resolveEnv } from './envResolution';

const pod: V1Pod = {
  metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } },
  spec: { nodeName: 'node-1', containers: [] },
};

const sources = (): EnvSources => ({
  configMaps: new Map([['cfg', { data: { mode: 'fast', level: '3' } }]]),
  secrets: new Map([['creds', { data: { password: Buffer.from('s3cret').toString('base64') } }]]),
  nodeName: 'node-1',
  hostIP: '172.30.0.11',
  podIP: '10.244.1.5',
});

describe('resolveEnv', () => {
  it('combines envFrom, literals, references, downward API and resource fields in order', () => {
    const container: V1Container = {
      name: 'app',
      resources: { limits: { memory: '64Mi', cpu: '500m' } },
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        { name: 'URL', value: 'http://$(POD_IP):80/$(MODE)' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      ],
    };
    expect(resolveEnv(pod, container, sources())).toEqual({
      CFG_mode: 'fast',
      CFG_level: '3',
      password: 's3cret',
      MODE: 'fast',
      // POD_IP is defined after URL, so its reference stays unexpanded, as in Kubernetes.
      URL: 'http://$(POD_IP):80/fast',
      POD_IP: '10.244.1.5',
      APP: 'web',
      NS: 'shop',
      MEM_MI: '64',
      CPU_M: '500',
      PASS: 's3cret',
    });
  });

  it('fails with CreateContainerConfigError for a missing config map or key, unless optional', () => {
    const missing: V1Container = {
      name: 'a',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
    };
    expect(() => resolveEnv(pod, missing, sources())).toThrow(ContainerConfigError);
    expect(() => resolveEnv(pod, missing, sources())).toThrow('configmap "nope" not found');
    const missingKey: V1Container = {
      name: 'a',
      env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } }],
    };
    expect(() => resolveEnv(pod, missingKey, sources())).toThrow(
      "couldn't find key user in Secret shop/creds",
    );
    const optional: V1Container = {
      name: 'a',
      env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }],
      envFrom: [{ secretRef: { name: 'gone', optional: true } }],
    };
    expect(resolveEnv(pod, optional, sources())).toEqual({});
  });
});

describe('parseQuantity', () => {
  it('reads decimal and binary suffixes and millis', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1Gi')).toBe(1024 ** 3);
    expect(parseQuantity('2k')).toBe(2000);
    expect(() => parseQuantity('lots')).toThrow('invalid quantity');
  });
});
