import type { AppApiHandlers } from '../appApi';
import type { ClusterStatusSource } from '../host';

// Start/Stop/Restart/Reset from the Dashboard, run by the ClusterManager that `kubedesk serve` and
// `kubedesk start` run, so the UI and the command line share one code path.

/** What a cluster owner offers the Dashboard; ClusterManager provides it. */
export interface ClusterControl {
  /** The cluster's name, which Reset asks a person to type. */
  name: string;
  /** Starts with the options of the last start (or the settings' defaults). */
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops, removes nodes, their volumes, the network and all cluster state, then starts afresh. */
  reset(): Promise<void>;
}

export class ClusterControlError extends Error {
  override name = 'ClusterControlError';
  constructor(
    message: string,
    readonly code: 'NotControllable' | 'ConfirmationMismatch',
  ) {
    super(message);
  }
}

export function createClusterControlHandlers(
  cluster: ClusterStatusSource,
): AppApiHandlers['methods']['clusterControl'] {
  const control = () => {
    const owner = cluster.control?.();
    if (!owner)
      throw new ClusterControlError(
        'this host does not own a cluster it can start or stop',
        'NotControllable',
      );
    return owner;
  };
  return {
    info: async () => {
      const owner = cluster.control?.();
      return { name: owner?.name ?? '', controllable: Boolean(owner) };
    },
    start: async () => {
      await control().start();
      return null;
    },
    stop: async () => {
      await control().stop();
      return null;
    },
    restart: async () => {
      await control().restart();
      return null;
    },
    reset: async ({ confirm }) => {
      const owner = control();
      if (confirm !== owner.name) {
        throw new ClusterControlError(
          `type the cluster's name "${owner.name}" to reset it`,
          'ConfirmationMismatch',
        );
      }
      await owner.reset();
      return null;
    },
  };
}
