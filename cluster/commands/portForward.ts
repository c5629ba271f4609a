import { once } from 'node:events';
import type { Command } from 'commander';
import { parsePortPair } from '../../main/host/portForward/portForwardTarget';
import { startPortForward } from '../../main/host/portForward/startPortForward';
import { globalOptions } from './globalOptions';
import { requireRunningCluster } from './runningCluster';

// `kubedesk port-forward svc/web 8080:80`: kubectl's port-forward through the API server, except
// that each new connection goes to a Ready pod of the target, so it outlives pod replacements.
// Runs until interrupted.

const write = (text: string) => process.stdout.write(`${text}\n`);

export function registerPortForwardCommand(program: Command): void {
  program
    .command('port-forward <target> <ports...>')
    .description('forward local ports to a pod, svc/<name> or deploy/<name> ([LOCAL:]REMOTE, like kubectl)')
    .option('-n, --namespace <namespace>', 'namespace of the target', 'default')
    .option('--address <address>', 'local address to listen on', '127.0.0.1')
    .action(
      async (
        target: string,
        ports: string[],
        opts: { namespace: string; address: string },
        command: Command,
      ) => {
        const { kubeConfig } = requireRunningCluster(globalOptions(command).dataDir);
        const forwards = [];
        for (const pair of ports.map(parsePortPair)) {
          const forward = await startPortForward({
            kubeConfig,
            namespace: opts.namespace,
            target,
            localPort: pair.localPort,
            remotePort: pair.remotePort,
            address: opts.address,
            onConnectionError: (err) =>
              process.stderr.write(`error forwarding port ${pair.remotePort}: ${err.message}\n`),
          });
          forwards.push(forward);
          write(`Forwarding from ${forward.address}:${forward.localPort} -> ${pair.remotePort}`);
        }
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await Promise.all(forwards.map((forward) => forward.stop()));
      },
    );
}
