import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Logger, nullLogger } from '../../cluster/log';
import type { ClusterStartOptions } from './clusterManager';
import { createKubernetesToggle, followKubernetesSetting, type ToggledCluster } from './kubernetesToggle';
import { openConfSettings } from './settingsStore';

// The toggle over a fake cluster whose starts and stops end only when the test says so, and which
// refuses overlapping transitions and a start while running, as the real ClusterManager must never see.

function fakeCluster() {
  const calls: string[] = [];
  let running = false;
  let busy = false;
  let finish: ((err?: Error) => void) | undefined;
  const transition = (name: string, run: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (busy) calls.push(`${name} while another transition runs`);
      busy = true;
      calls.push(name);
      finish = (err) => {
        busy = false;
        finish = undefined;
        if (err) return reject(err);
        run();
        resolve();
      };
    });
  const cluster: ToggledCluster = {
    start: (options: ClusterStartOptions) =>
      transition(`start ${options.nodes}`, () => {
        if (running) throw new Error('started twice');
        running = true;
      }),
    stop: () =>
      transition('stop', () => {
        running = false;
      }),
  };
  return {
    cluster,
    calls,
    isRunning: () => running,
    /** Ends the transition under way, then lets the toggle take its next step. */
    async finish(err?: Error) {
      if (!finish) throw new Error('no transition runs');
      finish(err);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A toggle over `fake` that starts `nodes()` nodes (2 unless given). */
const toggleOver = (
  fake: ReturnType<typeof fakeCluster>,
  options: { nodes?: () => number; log?: Logger } = {},
) =>
  createKubernetesToggle({
    cluster: fake.cluster,
    startOptions: () => ({ store: { kind: 'sqlite' }, nodes: options.nodes?.() ?? 2 }),
    log: options.log ?? nullLogger,
  });

describe('the Enable Kubernetes toggle', () => {
  it('coalesces flips made during a start: on, off, on ends running after one start', async () => {
    const fake = fakeCluster();
    const toggle = toggleOver(fake);
    const settled = toggle.set(true);
    void toggle.set(false);
    void toggle.set(true);
    await fake.finish();
    await settled;
    expect(fake.calls).toEqual(['start 2']);
    expect(fake.isRunning()).toBe(true);
  });

  it('ends in the last state: on then off during the start stops once the start has ended', async () => {
    const fake = fakeCluster();
    const toggle = toggleOver(fake);
    const settled = toggle.set(true);
    void toggle.set(false);
    void toggle.set(true);
    void toggle.set(false);
    await fake.finish();
    expect(fake.calls).toEqual(['start 2', 'stop']);
    await fake.finish();
    await settled;
    expect(fake.isRunning()).toBe(false);
    // Turning it on again after the drain ended starts a new one.
    const again = toggle.set(true);
    await fake.finish();
    await again;
    expect(fake.calls).toEqual(['start 2', 'stop', 'start 2']);
  });

  it('reads the start options at each start, so a changed node count applies next time', async () => {
    const fake = fakeCluster();
    let nodes = 3;
    const toggle = toggleOver(fake, { nodes: () => nodes });
    void toggle.set(true);
    await fake.finish();
    nodes = 5;
    void toggle.set(false);
    await fake.finish();
    void toggle.set(true);
    await fake.finish();
    expect(fake.calls).toEqual(['start 3', 'stop', 'start 5']);
  });

  it('does not retry a failed start until the setting flips again', async () => {
    const fake = fakeCluster();
    const errors: string[] = [];
    const toggle = toggleOver(fake, {
      nodes: () => 1,
      log: { ...nullLogger, error: (message: string) => errors.push(message) },
    });
    const settled = toggle.set(true);
    await fake.finish(new Error('no Docker engine'));
    await settled;
    expect(errors).toEqual(['turning Kubernetes on failed']);
    expect(await toggle.set(true)).toBeUndefined();
    expect(fake.calls).toEqual(['start 1']);
    void toggle.set(false);
    await fake.finish();
    void toggle.set(true);
    await fake.finish();
    expect(fake.calls).toEqual(['start 1', 'stop', 'start 1']);
    expect(fake.isRunning()).toBe(true);
  });

  it('ignores wanted states once closed and waits for the transition under way', async () => {
    const fake = fakeCluster();
    const toggle = toggleOver(fake, { nodes: () => 1 });
    void toggle.set(true);
    void toggle.set(false);
    let closed = false;
    const closing = toggle.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    await fake.finish();
    await closing;
    void toggle.set(false);
    expect(fake.calls).toEqual(['start 1']);
  });

  it('follows changes of kubernetesEnabled in the settings, not of other settings', async () => {
    const settings = openConfSettings(mkdtempSync(join(tmpdir(), 'kubedesk-toggle-')));
    const wanted: boolean[] = [];
    const stopFollowing = followKubernetesSetting(settings, {
      set: async (enabled) => {
        wanted.push(enabled);
      },
      close: async () => {},
    });
    settings.update({ nodeCount: 2 });
    settings.update({ kubernetesEnabled: false });
    settings.update({ kubernetesEnabled: false, nodeCount: 4 });
    settings.update({ kubernetesEnabled: true });
    stopFollowing();
    settings.update({ kubernetesEnabled: false });
    expect(wanted).toEqual([false, true]);
  });
});
