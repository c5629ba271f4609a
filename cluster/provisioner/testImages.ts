import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { type Pack, pack } from 'tar-stream';
import type { NodeProvider } from './providers/nodeProvider';

// Tiny images for tests and benchmarks, made from local files only (never pulled): Debian's
// statically linked busybox in an otherwise empty image, and the same plus this machine's Node.js
// (its binary and the shared libraries it links) running a small HTTP server.

const busyboxPaths = ['/bin/busybox', '/usr/bin/busybox'];

function busyboxEntries(archive: Pack): void {
  const binary = busyboxPaths.find((path) => existsSync(path));
  if (!binary) throw new Error('a static busybox is needed for test images: apt-get install busybox-static');
  const applets = execFileSync(binary, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  archive.entry({ name: 'bin/', type: 'directory', mode: 0o755 });
  archive.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  archive.entry({ name: 'bin/busybox', mode: 0o755 }, readFileSync(binary));
  for (const applet of applets) {
    if (applet !== 'busybox') archive.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  }
}

export function busyboxRootfs(): Readable {
  const archive = pack();
  busyboxEntries(archive);
  archive.finalize();
  return archive as unknown as Readable;
}

/** Port the HTTP test image listens on (`PORT` overrides it). */
export const httpTestPort = 8080;

// Answers every request with the pod's hostname and logs one line per request, so tests see both
// the network path and `kubectl logs`. PID 1 ignores SIGTERM unless it handles it.
const httpServer = `
const http = require('node:http');
const os = require('node:os');
const port = Number(process.env.PORT || ${httpTestPort});
http
  .createServer((req, res) => {
    console.log(req.method + ' ' + req.url);
    res.end('hello from ' + os.hostname() + '\\n');
  })
  .listen(port, () => console.log('listening on ' + port));
process.on('SIGTERM', () => process.exit(0));
`;

/** The shared libraries a dynamically linked binary loads, as `ldd` resolves them here. */
function sharedLibraries(binary: string): string[] {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...output.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
}

export function nodeHttpRootfs(): Readable {
  const node = realpathSync(process.execPath);
  const archive = pack();
  busyboxEntries(archive);
  const dirs = new Set<string>();
  const add = (path: string, mode: number) => {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i += 1) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (dir === 'bin/' || dirs.has(dir)) continue;
      dirs.add(dir);
      archive.entry({ name: dir, type: 'directory', mode: 0o755 });
    }
    // Library paths are often symlinks; the image gets the file they point to under that name.
    archive.entry({ name: parts.join('/'), mode }, readFileSync(realpathSync(path)));
  };
  for (const library of sharedLibraries(node)) add(library, 0o755);
  add(node, 0o755);
  archive.entry({ name: 'server.js', mode: 0o644 }, httpServer);
  archive.finalize();
  return archive as unknown as Readable;
}

/** Imports a busybox-only image into the host engine under `tag`. */
export async function importBusyboxImage(provider: NodeProvider, tag: string): Promise<void> {
  await provider.importImage(busyboxRootfs(), { tag, changes: ['ENV PATH=/bin', 'CMD ["sh"]'] });
}

/** Imports the Node.js HTTP server image into the host engine under `tag` (listens on 8080). */
export async function importNodeHttpImage(provider: NodeProvider, tag: string): Promise<void> {
  const node = realpathSync(process.execPath);
  await provider.importImage(nodeHttpRootfs(), {
    tag,
    changes: [`ENV PATH=/bin:${dirname(node)}`, `EXPOSE ${httpTestPort}`, `CMD ["${node}", "/server.js"]`],
  });
}
