import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// The infra ("pause") image, made inside the node from its own files and never pulled: coreutils'
// `sleep` with the shared libraries it links, imported as an image whose command is
// `sleep infinity`. The node image has no static binary to use instead.

export const pauseImage = 'kubedesk/pause:1';

const run = promisify(execFile);

const script = `set -e
bin=$(command -v sleep)
libs=$(ldd "$bin" | awk '/=>/ {print $3} /^[[:space:]]*\\// {print $1}' | sort -u)
tar -chf - "$bin" $libs 2>/dev/null | docker import -c 'CMD ["'"$bin"'", "infinity"]' - ${pauseImage} >/dev/null`;

let ensured: Promise<string> | undefined;

/** Checked (and made) once per agent run: every pod start needs it, and it is never removed. */
export function ensurePauseImage(): Promise<string> {
  ensured ??= (async () => {
    const found = await run('docker', ['image', 'inspect', pauseImage]).then(
      () => true,
      () => false,
    );
    if (!found) await run('sh', ['-c', script]);
    return pauseImage;
  })().catch((err: unknown) => {
    ensured = undefined;
    throw err;
  });
  return ensured;
}
