import { appRoot } from '../../../cluster/appRoot';
import { dataPaths } from '../../../cluster/dataDir';
import type { Logger } from '../../../cluster/log';
import { clusterNameFor } from '../../../cluster/provisioner/clusterName';
import { hostShellSpawner } from './hostShell';
import { lazyDockerEngine, nodeShellSpawner } from './nodeShell';
import type { OutputFlowOptions } from './outputFlow';
import { podShellSpawner } from './podShell';
import { readShellTargets } from './shellTargets';
import { TerminalSessions } from './terminalSessions';

// The host's terminal sessions of every kind: shells on this computer, in pods (the API server's
// exec endpoint) and in node containers (the Docker engine), for the installation in `dataDir`.

export interface HostTerminalsOptions {
  dataDir: string;
  log: Logger;
  /** Holds `bin/kubedesk.mjs`; defaults to this checkout or installed app. */
  appRoot?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  flow?: OutputFlowOptions;
}

export function createHostTerminals(options: HostTerminalsOptions): TerminalSessions {
  const log = options.log.child({ component: 'terminal' });
  const kubeconfigPath = dataPaths(options.dataDir).kubeconfig;
  const cluster = clusterNameFor(options.dataDir);
  const docker = lazyDockerEngine();
  const hostShell = hostShellSpawner({
    dataDir: options.dataDir,
    appRoot: options.appRoot ?? appRoot,
    env: options.env,
    home: options.home,
  });
  const podShell = podShellSpawner({ kubeconfigPath, log });
  const nodeShell = nodeShellSpawner({ cluster, log, docker });
  return new TerminalSessions({
    log,
    flow: options.flow,
    spawn: async (request) => {
      if (request.kind === 'pod') return podShell(request);
      if (request.kind === 'node') return nodeShell(request);
      return hostShell(request);
    },
    targets: () => readShellTargets({ kubeconfigPath, cluster, docker }),
  });
}
