import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../log';
import {
  createPodImageSideloader,
  imagesToStart,
  type SideloadNotice,
  sideloadEvent,
} from './podImageSideloader';
import { createFakeProviderWithNode } from './providers/fakeProvider';

const pod = (nodeName: string, image: string, status?: V1Pod['status']): V1Pod => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { nodeName, containers: [{ name: 'app', image }] },
  ...(status ? { status } : {}),
});

async function setup() {
  const { provider } = await createFakeProviderWithNode();
  provider.images.set('app:1', { id: 'sha256:app', labels: {} });
  // The node's dockerd: has an image once something was loaded into it.
  let loaded = '';
  provider.setExecHandler((_node, argv, stdin) => {
    if (argv[1] === 'image') {
      return loaded
        ? { exitCode: 0, stdout: `${loaded}\n`, stderr: '' }
        : { exitCode: 1, stdout: '', stderr: 'No such image' };
    }
    loaded = (stdin?.toString() ?? '').split(' ')[2] ?? '';
    return { exitCode: 0, stdout: '', stderr: '' };
  });
  const notices: SideloadNotice[] = [];
  const sideloader = createPodImageSideloader({
    provider,
    cluster: 'k',
    log: nullLogger,
    onNotice: (n) => notices.push(n),
  });
  const loads = () => provider.execs.filter((e) => e.argv[0] === 'sh').length;
  return { provider, sideloader, notices, loads };
}

describe('pod image sideloader', () => {
  it('copies a host image into the node a pod is bound to, once per node and image ID', async () => {
    const { sideloader, notices, loads } = await setup();
    sideloader.handlePod(pod('k-node-1', 'app:1'));
    sideloader.handlePod(pod('k-node-1', 'app:1'));
    await sideloader.idle();
    sideloader.handlePod(pod('k-node-1', 'app:1', { containerStatuses: [] }));
    await sideloader.idle();
    expect(loads()).toBe(1);
    expect(notices.every((n) => n.node === 'k-node-1' && n.image === 'app:1')).toBe(true);
    const events = notices.map(sideloadEvent).filter((e) => e !== undefined);
    expect(events.map((e) => e.reason)).toEqual(['Sideloading', 'Sideloaded']);
    expect(events[1]?.message).toMatch(
      /^Copied image "app:1" \(\d+\.\d MiB\) from the host's Docker engine into k-node-1 in \d+\.\ds$/,
    );
  });

  it('leaves images the host lacks, pods on other nodes and started containers to the kubelet', async () => {
    const { sideloader, loads, provider } = await setup();
    sideloader.handlePod(pod('k-node-1', 'elsewhere:1'));
    sideloader.handlePod(pod('simulated-1', 'app:1'));
    sideloader.handlePod(
      pod('k-node-1', 'app:1', {
        containerStatuses: [
          { name: 'app', image: 'app:1', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
        ],
      }),
    );
    await sideloader.idle();
    expect(loads()).toBe(0);
    expect(provider.execs).toEqual([]);
  });

  it('checks the node again when the kubelet reports a pull error for an image copied before', async () => {
    const { sideloader, provider } = await setup();
    sideloader.handlePod(pod('k-node-1', 'app:1'));
    await sideloader.idle();
    const before = provider.execs.length;
    const waiting = { reason: 'ErrImagePull' };
    sideloader.handlePod(
      pod('k-node-1', 'app:1', {
        containerStatuses: [
          { name: 'app', image: 'app:1', imageID: '', ready: false, restartCount: 0, state: { waiting } },
        ],
      }),
    );
    await sideloader.idle();
    expect(provider.execs.slice(before).map((e) => e.argv[1])).toEqual(['image']);
  });

  it('lists images of init and app containers that have not run', () => {
    const images = imagesToStart({
      spec: {
        initContainers: [{ name: 'init', image: 'init:1' }],
        containers: [
          { name: 'a', image: 'app:1' },
          { name: 'b', image: 'app:1' },
        ],
      },
      status: {
        initContainerStatuses: [
          {
            name: 'init',
            image: 'init:1',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0 } },
          },
        ],
      },
    });
    expect([...images]).toEqual([['app:1', false]]);
  });
});
