import { describe, expect, it } from 'vitest';
import { createKubeletLocator } from './kubeletLocator';
import type { NodeHandle } from './providers/nodeProvider';

const handle = (name: string, port: number | undefined, running = true) =>
  ({ name, running, ...(port ? { kubeletHostPort: port } : {}) }) as NodeHandle;

describe('kubelet locator', () => {
  it("answers a node's published loopback port, asking the engine again on a miss or once stale", async () => {
    let nodes = [handle('kd-node-1', 41001), handle('kd-node-2', undefined, false)];
    let queries = 0;
    let clock = 0;
    const locate = createKubeletLocator(
      {
        listNodes: async (cluster) => {
          expect(cluster).toBe('kd');
          queries += 1;
          return nodes;
        },
      },
      'kd',
      { maxAgeMs: 1000, now: () => clock },
    );
    expect(await locate('kd-node-1')).toEqual({ host: '127.0.0.1', port: 41001 });
    expect(await locate('kd-node-1')).toEqual({ host: '127.0.0.1', port: 41001 });
    expect(queries).toBe(1);
    // Stopped nodes have no kubelet to reach; a node that appeared since is found by a fresh query.
    expect(await locate('kd-node-2')).toBeUndefined();
    nodes = [handle('kd-node-1', 41001), handle('kd-node-3', 41003)];
    expect(await locate('kd-node-3')).toEqual({ host: '127.0.0.1', port: 41003 });
    // A restarted node gets a new port; after maxAgeMs the cache is renewed.
    nodes = [handle('kd-node-1', 42001)];
    clock = 1500;
    expect(await locate('kd-node-1')).toEqual({ host: '127.0.0.1', port: 42001 });
  });

  it('shares one engine query among concurrent lookups', async () => {
    let queries = 0;
    const locate = createKubeletLocator(
      {
        listNodes: async () => {
          queries += 1;
          return [handle('kd-node-1', 41001)];
        },
      },
      'kd',
    );
    await Promise.all(Array.from({ length: 5 }, () => locate('kd-node-1')));
    expect(queries).toBe(1);
  });
});
