import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles the node agent (cluster/agent/main.ts) into one CommonJS file for the Node.js 18 inside
// node images: `npx tsx scripts/build-agent.ts` → out/agent/agent.cjs. The provisioner copies that
// file into each node as /kubedesk/agent/agent.js.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const agentBundle = join(root, 'out', 'agent', 'agent.cjs');

export async function buildAgent(outfile = agentBundle): Promise<string> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'cluster', 'agent', 'main.ts')],
    outfile,
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
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAgent().then(
    (path) => process.stdout.write(`${path}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
