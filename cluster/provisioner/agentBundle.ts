import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { appRoot } from '../appRoot';

// The node agent as one JavaScript file (esbuild), which the provisioner copies into every node. A
// packaged app ships it built; a checkout rebuilds it whenever a source under cluster/ is newer, so
// nodes always run the agent code of the checkout they were started from.

export const agentBundleFile = join(appRoot, 'out', 'agent', 'agent.cjs');
const sourceDir = join(appRoot, 'cluster');
const entryPoint = join(sourceDir, 'agent', 'main.ts');

/** Bundles cluster/agent/main.ts for the Node.js 18 inside node images; written atomically. */
export async function buildAgentBundle(outfile: string = agentBundleFile): Promise<string> {
  // esbuild is a development tool: loaded only when a checkout needs a fresh bundle.
  const { build } = await import('esbuild');
  await mkdir(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [entryPoint],
    outfile: temp,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    // Optional native addons (ssh2's, for dockerode's SSH transport) load in try/catch; the agent
    // talks to dockerd over its Unix socket and does without them.
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
    legalComments: 'none',
  });
  await rename(temp, outfile);
  return outfile;
}

async function newestTypeScript(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestTypeScript(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, (await stat(path)).mtimeMs);
  }
  return newest;
}

/** The bundle's path, after rebuilding it when this is a checkout whose sources changed since. */
export async function ensureAgentBundle(outfile: string = agentBundleFile): Promise<string> {
  const built = await stat(outfile).catch(() => undefined);
  if (!existsSync(entryPoint)) {
    if (!built) throw new Error(`the node agent bundle ${outfile} is missing from this installation`);
    return outfile;
  }
  if (built && (await newestTypeScript(sourceDir)) <= built.mtimeMs) return outfile;
  return buildAgentBundle(outfile);
}
