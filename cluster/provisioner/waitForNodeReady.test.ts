import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isFreshlyReady, waitForNodeReady } from './waitForNodeReady';

const node = (status: string, heartbeat: string): V1Node => ({
  metadata: { name: 'n1' },
  status: {
    conditions: [
      {
        type: 'Ready',
        status,
        lastHeartbeatTime: new Date(heartbeat),
        message: 'kubelet is posting ready status',
      },
    ],
  },
});

describe('waiting for a node to be Ready', () => {
  it('counts a Ready condition only when its heartbeat is from this start (to the second)', () => {
    const since = new Date('2026-01-01T10:00:00.600Z');
    expect(isFreshlyReady(node('True', '2026-01-01T10:00:00Z'), since)).toBe(true);
    expect(isFreshlyReady(node('True', '2026-01-01T09:59:59Z'), since)).toBe(false);
    expect(isFreshlyReady(node('False', '2026-01-01T10:00:05Z'), since)).toBe(false);
    expect(isFreshlyReady(undefined, since)).toBe(false);
  });

  it('polls until the node registers and reports Ready', async () => {
    const since = new Date();
    const answers = [
      undefined,
      node('False', new Date().toISOString()),
      node('True', new Date().toISOString()),
    ];
    const ready = await waitForNodeReady(async () => answers.shift(), 'n1', { since, intervalMs: 1 });
    expect(ready.status?.conditions?.[0]?.status).toBe('True');
    expect(answers).toEqual([]);
  });

  it('times out with what the node last said', async () => {
    const stale = node('True', '2020-01-01T00:00:00Z');
    await expect(
      waitForNodeReady(async () => stale, 'n1', { since: new Date(), timeoutMs: 5, intervalMs: 1 }),
    ).rejects.toThrow(
      /node n1 was not Ready within 0.005 s: Ready is True \(kubelet is posting ready status\)/,
    );
    await expect(
      waitForNodeReady(async () => undefined, 'n1', { since: new Date(), timeoutMs: 5, intervalMs: 1 }),
    ).rejects.toThrow(/it never registered/);
  });
});
