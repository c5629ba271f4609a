import { Transform } from 'node:stream';
import { markedLoadCommand } from '../agent/sideloadMarkers';
import { checkExec } from './execError';
import type { NodeHandle, NodeProvider } from './providers/nodeProvider';

// Copies an image from the host engine into a node (`docker save` → the node's `docker load`), so
// images built locally run without a registry. The node's own dockerd is the record of what it has:
// an image whose ID is already there is not copied again. The load runs under a marker the kubelet
// reads, so it waits for the copy rather than reporting a failed pull.

export interface SideloadResult {
  imageId: string;
  /** False when the node already had this image ID. */
  loaded: boolean;
  bytes: number;
}

export interface SideloadOptions {
  report?: (update: { bytes?: number; detail?: string }) => void;
  signal?: AbortSignal;
  /** Bytes between progress reports. */
  reportEveryBytes?: number;
}

const inFlight = new Map<string, Promise<SideloadResult>>();

export async function sideloadImage(
  provider: NodeProvider,
  node: NodeHandle,
  image: string,
  options: SideloadOptions = {},
): Promise<SideloadResult> {
  const host = await provider.inspectImage(image);
  if (!host) throw new Error(`image ${image} is not in the host's Docker engine`);
  // Concurrent requests for the same image on the same node share one copy.
  const key = `${node.id}\0${host.id}`;
  const running = inFlight.get(key);
  if (running) return running;
  const work = copy(provider, node, image, host.id, options).finally(() => inFlight.delete(key));
  inFlight.set(key, work);
  return work;
}

async function copy(
  provider: NodeProvider,
  node: NodeHandle,
  image: string,
  imageId: string,
  options: SideloadOptions,
): Promise<SideloadResult> {
  const present = await provider.exec(node, ['docker', 'image', 'inspect', '--format', '{{.Id}}', image], {
    signal: options.signal,
  });
  if (present.exitCode === 0 && present.stdout.trim() === imageId)
    return { imageId, loaded: false, bytes: 0 };

  options.report?.({ detail: `docker load into ${node.name}` });
  const every = options.reportEveryBytes ?? 8 * 1024 * 1024;
  let bytes = 0;
  let reported = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes - reported >= every) {
        reported = bytes;
        options.report?.({ bytes });
      }
      done(null, chunk);
    },
  });
  const saved = await provider.saveImage(image);
  saved.on('error', (err) => counter.destroy(err));
  const argv = markedLoadCommand(image);
  checkExec(argv, await provider.exec(node, argv, { stdin: saved.pipe(counter), signal: options.signal }));
  options.report?.({ bytes });
  return { imageId, loaded: true, bytes };
}
