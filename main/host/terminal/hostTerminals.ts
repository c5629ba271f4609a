import { appRoot } from '../../../cluster/appRoot';
import type { Logger } from '../../../cluster/log';
import { hostShellSpawner } from './hostShell';
import type { OutputFlowOptions } from './outputFlow';
import { TerminalSessions, UnsupportedTerminalError } from './terminalSessions';

// The host's terminal sessions with the kinds this build can open. Pod shells (the API server's
// exec endpoint) and node shells (the Docker engine) join `host` here once nodes run.

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
  const hostShell = hostShellSpawner({
    dataDir: options.dataDir,
    appRoot: options.appRoot ?? appRoot,
    env: options.env,
    home: options.home,
  });
  return new TerminalSessions({
    log: options.log.child({ component: 'terminal' }),
    flow: options.flow,
    spawn: async (request) => {
      if (request.kind === 'host') return hostShell(request);
      throw new UnsupportedTerminalError(
        `${request.kind} shells are not available yet: they need running nodes`,
      );
    },
  });
}
