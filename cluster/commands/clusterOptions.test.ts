import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  addClusterOptions,
  clusterFlagsToArgs,
  clusterStartOptions,
  parseCount,
  parseNodeCount,
  parsePort,
} from './clusterOptions';

describe('cluster options', () => {
  it('default to the SQLite store', () => {
    expect(clusterStartOptions({ nodes: 0, simulatedNodes: 0, store: 'sqlite' })).toEqual({
      store: { kind: 'sqlite' },
      apiPort: undefined,
      nodes: 0,
      simulatedNodes: 0,
    });
  });

  it('need endpoints for etcd', () => {
    expect(() => clusterStartOptions({ nodes: 0, simulatedNodes: 0, store: 'etcd' })).toThrow(
      /--etcd-endpoints/,
    );
    expect(
      clusterStartOptions({
        nodes: 0,
        simulatedNodes: 0,
        store: 'etcd',
        etcdEndpoints: 'http://127.0.0.1:2379, http://127.0.0.1:2380',
      }),
    ).toEqual({
      store: { kind: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.1:2380'] },
      apiPort: undefined,
      nodes: 0,
      simulatedNodes: 0,
    });
  });

  it('pass the node counts through to the cluster manager', () => {
    expect(clusterStartOptions({ nodes: 3, simulatedNodes: 2, store: 'sqlite', apiPort: 0 })).toEqual({
      store: { kind: 'sqlite' },
      apiPort: 0,
      nodes: 3,
      simulatedNodes: 2,
    });
  });

  it('start three real nodes unless told otherwise', () => {
    const command = addClusterOptions(new Command('start')).exitOverride();
    command.parse([], { from: 'user' });
    expect(command.opts().nodes).toBe(3);
    command.parse(['--nodes', '0'], { from: 'user' });
    expect(command.opts().nodes).toBe(0);
    command.parse(['--simulated-nodes', '1000'], { from: 'user' });
    expect(command.opts().simulatedNodes).toBe(1000);
    expect(() => parseNodeCount('300')).toThrow(/at most 244/);
  });

  it('round-trip through the arguments of the background host', () => {
    expect(
      clusterFlagsToArgs({
        nodes: 0,
        simulatedNodes: 5,
        store: 'etcd',
        etcdEndpoints: 'http://e:2379',
        apiPort: 7443,
      }),
    ).toEqual([
      '--nodes',
      '0',
      '--simulated-nodes',
      '5',
      '--store',
      'etcd',
      '--etcd-endpoints',
      'http://e:2379',
      '--api-port',
      '7443',
    ]);
  });

  it('reject malformed numbers', () => {
    expect(() => parsePort('70000')).toThrow(/port/);
    expect(() => parsePort('http')).toThrow(/port/);
    expect(() => parseCount('-1')).toThrow();
    expect(parseCount('2')).toBe(2);
  });
});
