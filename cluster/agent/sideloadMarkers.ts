import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

// While the host copies an image into a node (provisioner/sideloadImage.ts), a marker file in the
// node names the shell running `docker load` by its PID. The kubelet reads it to wait for the copy
// instead of pulling from a registry the image was never pushed to. A marker whose process is gone
// (the host stopped mid-copy) means nothing; /run is a tmpfs, so a node restart clears them all.

export const sideloadMarkerDir = '/run/kubedesk/sideloads';

/** `app` and `app:latest` are one image to Docker, so they share a marker. */
export function normalizeImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? ref : `${ref}:latest`;
}

export function sideloadMarkerPath(ref: string): string {
  const digest = createHash('sha256').update(normalizeImageRef(ref)).digest('hex').slice(0, 24);
  return `${sideloadMarkerDir}/${digest}`;
}

/** The command run in the node: marks the image as arriving, loads standard input, unmarks. */
export function markedLoadCommand(ref: string): string[] {
  const marker = sideloadMarkerPath(ref);
  const script = [
    `mkdir -p ${sideloadMarkerDir}`,
    `echo $$ > ${marker}.tmp && mv ${marker}.tmp ${marker}`,
    `trap 'rm -f ${marker}' EXIT`,
    'docker load --quiet',
  ].join('\n');
  return ['sh', '-c', script];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** True while the host is copying `ref` into this node. */
export async function isSideloading(ref: string, markerPath = sideloadMarkerPath(ref)): Promise<boolean> {
  const pid = Number((await readFile(markerPath, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid);
}
