import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { defaultDataDir } from '../dataDir';
import { defaultClusterName } from './planNodes';

// Which cluster belongs to an installation. The default data directory owns `kubedesk` (nodes
// `kubedesk-node-1..N`); any other data directory gets a name derived from its path, so the node
// containers, volumes and networks of two installations on one engine never collide.

export function clusterNameFor(dataDir: string, defaultDir: string = defaultDataDir()): string {
  const path = resolve(dataDir);
  if (path === resolve(defaultDir)) return defaultClusterName;
  const digest = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return `${defaultClusterName}-${digest}`;
}
