import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelKeys } from './labels';
import { defaultNodeImageDir, ensureNodeImage, nodeImageRecipe } from './nodeImage';
import { createFakeProvider } from './providers/fakeProvider';

const copyOfRecipes = () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-image-'));
  cpSync(defaultNodeImageDir, dir, { recursive: true });
  return dir;
};

const fakeRootfs = async (target: string, { onLine }: { onLine: (line: string) => void }) => {
  mkdirSync(join(target, 'usr/bin'), { recursive: true });
  writeFileSync(join(target, 'usr/bin/dockerd'), 'binary');
  onLine('I: Base system installed successfully.');
};

describe('nodeImageRecipe', () => {
  it('tags images by a hash of the recipe files, which changes when a file changes', async () => {
    const dir = copyOfRecipes();
    const before = await nodeImageRecipe('offline', dir);
    expect(before.tag).toBe(`kubedesk-node:${before.hash.slice(0, 12)}`);
    expect(before.labels[labelKeys.recipe]).toBe(before.hash);
    expect((await nodeImageRecipe('offline', dir)).hash).toBe(before.hash);
    expect((await nodeImageRecipe('online', dir)).hash).not.toBe(before.hash);
    writeFileSync(join(dir, 'entrypoint.sh'), '#!/bin/sh\n# changed\n', { flag: 'a' });
    expect((await nodeImageRecipe('offline', dir)).hash).not.toBe(before.hash);
  });
});

describe('ensureNodeImage', () => {
  it('builds offline without a registry, importing the root filesystem with entrypoint and labels', async () => {
    const provider = createFakeProvider();
    const imports: string[][] = [];
    const importImage = provider.importImage;
    provider.importImage = async (tar, options) => {
      imports.push(options.changes);
      return importImage(tar, options);
    };
    const notes: string[] = [];
    const image = await ensureNodeImage({
      provider,
      source: 'auto',
      registryReachable: async () => false,
      buildRootfs: fakeRootfs,
      report: (u) => u.detail && notes.push(u.detail),
    });
    expect(image).toMatchObject({ source: 'offline', built: true });
    expect(provider.images.has(image.tag)).toBe(true);
    expect(imports[0]).toEqual(
      expect.arrayContaining([
        'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/kubedesk-node-entrypoint"]',
        expect.stringMatching(/^LABEL kubedesk\.io\/node-image-recipe=[0-9a-f]{64}$/),
      ]),
    );
    expect(notes).toEqual(['debootstrap', 'I: Base system installed successfully.', 'docker import']);
  });

  it('removes node images of older recipes that no node uses', async () => {
    const provider = createFakeProvider();
    const nodeImageLabels = { [labelKeys.role]: 'node-image' };
    provider.images.set('kubedesk-node:old000000000', { id: 'sha256:old', labels: nodeImageLabels });
    provider.images.set('kubedesk-node:inuse0000000', { id: 'sha256:inuse', labels: nodeImageLabels });
    provider.images.set('app:1', { id: 'sha256:app', labels: {} });
    provider.nodes.set('k-node-1', {
      id: 'c1',
      name: 'k-node-1',
      cluster: 'k',
      index: 1,
      image: 'kubedesk-node:inuse0000000',
      ip: '172.30.0.11',
      podCidr: '10.244.1.0/24',
      volume: 'v',
      running: false,
      mode: 'capabilities',
      labels: {},
    });
    const image = await ensureNodeImage({ provider, source: 'offline', buildRootfs: fakeRootfs });
    expect([...provider.images.keys()].sort()).toEqual(
      ['app:1', 'kubedesk-node:inuse0000000', image.tag].sort(),
    );
  });

  it('skips the build when an image of the current recipe exists', async () => {
    const provider = createFakeProvider();
    const { tag } = await nodeImageRecipe('online');
    provider.images.set(tag, { id: 'sha256:x', labels: {} });
    const image = await ensureNodeImage({
      provider,
      buildRootfs: async () => {
        throw new Error('must not build');
      },
    });
    expect(image).toEqual({ tag, source: 'online', built: false });
  });

  it('falls back to the offline recipe when the online build fails', async () => {
    const provider = createFakeProvider();
    provider.failNext('buildImage', new Error('pull access denied for docker'));
    const notes: string[] = [];
    const image = await ensureNodeImage({
      provider,
      registryReachable: async () => true,
      buildRootfs: fakeRootfs,
      report: (u) => u.detail && notes.push(u.detail),
    });
    expect(image.source).toBe('offline');
    expect(notes).toContain('online build failed, building offline: pull access denied for docker');
  });

  it('reports the failing command when the root filesystem cannot be built', async () => {
    const provider = createFakeProvider();
    await expect(
      ensureNodeImage({
        provider,
        source: 'offline',
        buildRootfs: async () => {
          throw new Error('debootstrap exited with 1: E: Failed getting release file');
        },
      }),
    ).rejects.toThrow(/Failed getting release file/);
    expect(provider.images.size).toBe(0);
  });
});
