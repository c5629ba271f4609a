import { fileURLToPath } from 'node:url';
import { agentBundleFile, buildAgentBundle } from '../cluster/provisioner/agentBundle';

// Bundles the node agent (cluster/agent/main.ts) into one CommonJS file for the Node.js 18 inside
// node images: `npx tsx scripts/build-agent.ts` → out/agent/agent.cjs. The provisioner copies that
// file into each node as /kubedesk/agent/agent.js (and rebuilds it itself when sources change).

export const agentBundle = agentBundleFile;

export const buildAgent = (outfile: string = agentBundleFile): Promise<string> => buildAgentBundle(outfile);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAgent().then(
    (path) => process.stdout.write(`${path}\n`),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
