import { describe, expect, it } from 'vitest';
import { markedLoadCommand } from '../agent/sideloadMarkers';
import { createFakeProviderWithNode } from './providers/fakeProvider';
import { sideloadImage } from './sideloadImage';

async function setup() {
  const { provider, node } = await createFakeProviderWithNode();
  provider.images.set('app:1', { id: 'sha256:app', labels: {} });
  // The node's dockerd: knows the images it loaded.
  const loaded = new Map<string, string>();
  provider.setExecHandler((_node, argv, stdin) => {
    if (argv[1] === 'image') {
      const id = loaded.get(argv.at(-1) ?? '');
      return id
        ? { exitCode: 0, stdout: `${id}\n`, stderr: '' }
        : { exitCode: 1, stdout: '', stderr: 'No such image' };
    }
    const [, ref, id] = (stdin?.toString() ?? '').split(' ');
    if (ref && id) loaded.set(ref, id);
    return { exitCode: 0, stdout: `Loaded image: ${ref}\n`, stderr: '' };
  });
  return { provider, node };
}

describe('sideloadImage', () => {
  it('streams docker save into the node docker load once per image ID, with byte progress', async () => {
    const { provider, node } = await setup();
    const reports: number[] = [];
    const first = await sideloadImage(provider, node, 'app:1', {
      report: (u) => u.bytes && reports.push(u.bytes),
      reportEveryBytes: 1,
    });
    expect(first).toMatchObject({ imageId: 'sha256:app', loaded: true });
    expect(first.bytes).toBeGreaterThan(0);
    expect(reports.at(-1)).toBe(first.bytes);
    const load = provider.execs.find((e) => e.argv[0] === 'sh');
    expect(load?.argv).toEqual(markedLoadCommand('app:1'));
    expect(load?.stdin?.toString()).toBe('saved app:1 sha256:app');
    expect(await sideloadImage(provider, node, 'app:1')).toEqual({
      imageId: 'sha256:app',
      loaded: false,
      bytes: 0,
    });
  });

  it('loads again when the host image changed under the same name', async () => {
    const { provider, node } = await setup();
    await sideloadImage(provider, node, 'app:1');
    provider.images.set('app:1', { id: 'sha256:app-v2', labels: {} });
    expect((await sideloadImage(provider, node, 'app:1')).loaded).toBe(true);
  });

  it('shares one copy between concurrent requests for the same node and image', async () => {
    const { provider, node } = await setup();
    const results = await Promise.all([
      sideloadImage(provider, node, 'app:1'),
      sideloadImage(provider, node, 'app:1'),
    ]);
    expect(results.map((r) => r.loaded)).toEqual([true, true]);
    expect(provider.execs.filter((e) => e.argv[0] === 'sh').length).toBe(1);
  });

  it('says so when the host does not have the image', async () => {
    const { provider, node } = await setup();
    await expect(sideloadImage(provider, node, 'missing:1')).rejects.toThrow(
      "image missing:1 is not in the host's Docker engine",
    );
  });
});
