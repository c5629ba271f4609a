import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readHostState } from '../host/hostState';
import { removeFromUserKubeconfig, resolveUserKubeconfigPath } from '../kubeconfig';
import { deleteCluster } from '../provisioner/cluster';
import { clusterNameFor } from '../provisioner/clusterName';
import { dockerForwarderEngine } from '../provisioner/exposure/forwarderEngine';
import { removeForwarders } from '../provisioner/exposure/syncForwarders';
import { createDockerProvider } from '../provisioner/providers/dockerProvider';
import { globalOptions } from './globalOptions';
import { stopHost } from './hostProcess';
import { printProgress } from './runningCluster';

// `kubedesk delete`: resets an installation's cluster. The host stops, the node containers, their
// volumes and the cluster network are removed, and so is the cluster state in the data directory
// (store, certificates, kubeconfig); settings and logs stay. The next start begins from nothing.

const write = (text: string) => process.stdout.write(`${text}\n`);

/** What `delete` removes from a data directory. */
export const clusterStatePaths = (dataDir: string) => [
  join(dataDir, 'store'),
  join(dataDir, 'pki'),
  join(dataDir, 'kubeconfig'),
];

export function registerDeleteCommand(program: Command): void {
  program
    .command('delete')
    .description(
      'delete the cluster: nodes, their volumes, the network and all cluster state (settings stay)',
    )
    .option('--timeout <seconds>', 'how long to wait for the host to stop before killing it', Number, 30)
    .action(async (opts: { timeout: number }, command: Command) => {
      const { dataDir } = globalOptions(command);
      const running = readHostState(dataDir);
      if (running) {
        await stopHost(running.pid, { timeoutMs: opts.timeout * 1000 });
        write('Kubedesk stopped');
      }
      const name = clusterNameFor(dataDir);
      const provider = createDockerProvider();
      // A host that died leaves its Service forwarders on the network, which then cannot be removed.
      await removeForwarders(dockerForwarderEngine(provider.docker), name);
      await deleteCluster(name, { provider, onProgress: printProgress(write) });
      for (const path of clusterStatePaths(dataDir)) await rm(path, { recursive: true, force: true });
      await removeFromUserKubeconfig({ userPath: resolveUserKubeconfigPath(process.env, homedir()) });
      write(`cluster ${name} deleted`);
    });
}
