import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { checkExec } from './execError';
import type { NodeHandle, NodeProvider } from './providers/nodeProvider';

// Agent delivery: the agent bundle and the node's credentials go into /kubedesk in the node as one
// tar stream, then the agent is (re)started in place. Agent code never needs a new node image.

export const agentRoot = '/kubedesk';
export const agentBundlePath = 'agent/agent.js';

export interface AgentInstall {
  /** The agent bundle on the host (one JavaScript file). */
  bundlePath: string;
  /** More files under /kubedesk, by relative path: `credentials/token`, `credentials/ca.crt`, `config.json`. */
  files?: Record<string, string | Uint8Array>;
}

function relativePath(path: string): string {
  const normal = posix.normalize(path);
  if (posix.isAbsolute(normal) || normal === '.' || normal.startsWith('..')) {
    throw new Error(`agent file path "${path}" must be relative and stay inside ${agentRoot}`);
  }
  return normal;
}

/** A tar stream of the files, with their parent directories; credentials are readable by root only. */
export function agentArchive(files: Record<string, Uint8Array>): Readable {
  const archive = pack();
  const directories = new Set<string>();
  for (const path of Object.keys(files)) {
    for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) directories.add(dir);
  }
  for (const dir of [...directories].sort())
    archive.entry({ name: `${dir}/`, type: 'directory', mode: 0o755 });
  for (const [path, content] of Object.entries(files)) {
    const secret = path.startsWith('credentials/');
    archive.entry({ name: path, mode: secret ? 0o600 : 0o644 }, Buffer.from(content));
  }
  archive.finalize();
  return archive as unknown as Readable;
}

export async function installAgent(
  provider: NodeProvider,
  node: NodeHandle,
  install: AgentInstall,
): Promise<void> {
  const files: Record<string, Uint8Array> = { [agentBundlePath]: await readFile(install.bundlePath) };
  for (const [path, content] of Object.entries(install.files ?? {})) {
    files[relativePath(path)] = typeof content === 'string' ? Buffer.from(content) : content;
  }
  await provider.putArchive(node, agentRoot, agentArchive(files));
  const argv = ['/usr/local/bin/kubedesk-agent', 'restart'];
  checkExec(argv, await provider.exec(node, argv));
}
