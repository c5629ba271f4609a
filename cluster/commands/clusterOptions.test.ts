import { describe, expect, it } from 'vitest';
import { clusterFlagsToArgs, clusterStartOptions, parseCount, parsePort } from './clusterOptions';

describe('cluster options', () => {
  it('default to the SQLite store', () => {
    expect(clusterStartOptions({ nodes: 0, store: 'sqlite' })).toEqual({
      store: { kind: 'sqlite' },
      apiPort: undefined,
    });
  });

  it('need endpoints for etcd', () => {
    expect(() => clusterStartOptions({ nodes: 0, store: 'etcd' })).toThrow(/--etcd-endpoints/);
    expect(
      clusterStartOptions({
        nodes: 0,
        store: 'etcd',
        etcdEndpoints: 'http://127.0.0.1:2379, http://127.0.0.1:2380',
      }),
    ).toEqual({
      store: { kind: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:2380'] },
      apiPort: undefined,
    });
  });

  it('say plainly that real nodes are not available yet', () => {
    expect(() => clusterStartOptions({ nodes: 3, store: 'sqlite' })).toThrow(/--nodes/);
  });

  it('round-trip through the arguments of the background host', () => {
    expect(
      clusterFlagsToArgs({ nodes: 0, store: 'etcd', etcdEndpoints: 'http://e:2379', apiPort: 7443 }),
    ).toEqual(['--nodes', '0', '--store', 'etcd', '--etcd-endpoints', 'http://e:2379', '--api-port', '7443']);
  });

  it('reject malformed numbers', () => {
    expect(() => parsePort('70000')).toThrow(/port/);
    expect(() => parsePort('http')).toThrow(/port/);
    expect(() => parseCount('-1')).toThrow();
    expect(parseCount('2')).toBe(2);
  });
});
