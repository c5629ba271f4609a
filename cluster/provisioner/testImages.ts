import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { NodeProvider } from './providers/nodeProvider';

// Tiny images for tests and benchmarks, made from local files only (never pulled): Debian's
// statically linked busybox in an otherwise empty image.

const busyboxPaths = ['/bin/busybox', '/usr/bin/busybox'];

export function busyboxRootfs(): Readable {
  const binary = busyboxPaths.find((path) => existsSync(path));
  if (!binary) throw new Error('a static busybox is needed for test images: apt-get install busybox-static');
  const applets = execFileSync(binary, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const archive = pack();
  archive.entry({ name: 'bin/', type: 'directory', mode: 0o755 });
  archive.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  archive.entry({ name: 'bin/busybox', mode: 0o755 }, readFileSync(binary));
  for (const applet of applets) {
    if (applet !== 'busybox') archive.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  }
  archive.finalize();
  return archive as unknown as Readable;
}

/** Imports a busybox-only image into the host engine under `tag`. */
export async function importBusyboxImage(provider: NodeProvider, tag: string): Promise<void> {
  await provider.importImage(busyboxRootfs(), { tag, changes: ['ENV PATH=/bin', 'CMD ["sh"]'] });
}
