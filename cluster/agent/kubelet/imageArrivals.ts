import type Docker from 'dockerode';
import type { Logger } from '../../log';

// Tells the kubelet when an image arrives on the node's dockerd (loaded by the host, pulled or
// tagged), so pods waiting for it sync at once instead of at the next tick or pull back-off.

const arrivals = ['load', 'pull', 'tag'];

export function watchImageArrivals(
  docker: Docker,
  onArrival: (image: string) => void,
  log: Logger,
  signal: AbortSignal,
): void {
  const connect = async () => {
    if (signal.aborted) return;
    try {
      const stream = (await docker.getEvents({
        filters: { type: ['image'], event: arrivals },
        abortSignal: signal,
      } as Parameters<Docker['getEvents']>[0])) as NodeJS.ReadableStream;
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          const event = JSON.parse(line) as { id?: string; Actor?: { Attributes?: { name?: string } } };
          onArrival(event.Actor?.Attributes?.name ?? event.id ?? '');
        }
      });
      stream.on('end', () => setTimeout(() => void connect(), 1000));
      stream.on('error', () => undefined);
    } catch (err) {
      if (signal.aborted) return;
      log.warn('docker image events failed', { error: (err as Error).message });
      setTimeout(() => void connect(), 1000);
    }
  };
  void connect();
}
