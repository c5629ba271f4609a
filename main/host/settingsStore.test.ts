import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from './settings';
import { openConfSettings } from './settingsStore';

const tempDir = () => mkdtempSync(join(tmpdir(), 'kubedesk-settings-'));

describe('settings stored with conf', () => {
  it('starts from the defaults: Kubernetes on, 3 nodes', () => {
    expect(openConfSettings(tempDir()).get()).toEqual(defaultSettings);
    expect(defaultSettings.nodeCount).toBe(3);
  });

  it('keeps earlier changes when a later patch names other keys, across reopening', () => {
    const dir = tempDir();
    const store = openConfSettings(dir);
    store.update({ exposeLoadBalancers: false });
    store.update({ nodeCount: 5 });
    expect(openConfSettings(dir).get()).toMatchObject({ exposeLoadBalancers: false, nodeCount: 5 });
  });

  it('tells listeners about every change', () => {
    const store = openConfSettings(tempDir());
    const seen: number[] = [];
    const stop = store.onChange((settings) => seen.push(settings.nodeCount));
    store.update({ nodeCount: 2 });
    stop();
    store.update({ nodeCount: 4 });
    expect(seen).toEqual([2]);
  });

  it('rejects invalid values and leaves the stored ones alone', () => {
    const dir = tempDir();
    const store = openConfSettings(dir);
    store.update({ nodeCount: 4 });
    expect(() => store.update({ nodeCount: 0 })).toThrow(/nodeCount/);
    expect(() => store.update({ nodeCount: 2.5 })).toThrow();
    expect(openConfSettings(dir).get().nodeCount).toBe(4);
  });

  it('names the file when it cannot be read, and does not overwrite it', () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{ "nodeCount": ');
    expect(() => openConfSettings(dir)).toThrow(/settings\.json/);
    expect(readFileSync(file, 'utf8')).toBe('{ "nodeCount": ');
  });
});
