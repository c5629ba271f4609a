import type { Logger } from '../../cluster/log';
import type { ClusterStartOptions } from './clusterManager';
import type { SettingsStore } from './settingsStore';

// The "Enable Kubernetes" setting, followed while the app runs, as Docker Desktop's toggle: on
// starts the cluster, off stops it (nodes kept). Only the newest wanted state counts: flips made
// while a start or stop runs are coalesced, so on→off→on during a start ends running, with one start.

export interface ToggledCluster {
  start(options: ClusterStartOptions): Promise<void>;
  stop(): Promise<void>;
}

export interface KubernetesToggleOptions {
  cluster: ToggledCluster;
  /** Read at every start, so a changed node count applies the next time Kubernetes is turned on. */
  startOptions: () => ClusterStartOptions;
  log: Logger;
}

export interface KubernetesToggle {
  /** Wants the cluster running or stopped; resolves once the newest wanted state is reached or failed. */
  set(enabled: boolean): Promise<void>;
  /** Ignores wanted states from now on; resolves when the transition under way has ended. */
  close(): Promise<void>;
}

export function createKubernetesToggle(options: KubernetesToggleOptions): KubernetesToggle {
  const { cluster, log } = options;
  let wanted = false;
  /** The state last driven to; nothing runs when the host starts. */
  let driven = false;
  let busy = false;
  let closed = false;
  let settled: Promise<void> = Promise.resolve();

  const drain = async () => {
    try {
      while (!closed && driven !== wanted) {
        const enabled = wanted;
        driven = enabled;
        try {
          await (enabled ? cluster.start(options.startOptions()) : cluster.stop());
        } catch (err) {
          // The cluster's status shows the failure; a start is tried again when the setting flips.
          log.error(enabled ? 'turning Kubernetes on failed' : 'turning Kubernetes off failed', {
            error: (err as Error).message,
          });
        }
      }
    } finally {
      // In the same turn as the last check, so a set() right after starts a new drain.
      busy = false;
    }
  };

  return {
    set(enabled) {
      wanted = enabled;
      if (!busy) {
        busy = true;
        settled = drain();
      }
      return settled;
    },
    close() {
      closed = true;
      return settled;
    },
  };
}

/** Feeds changes of `kubernetesEnabled` to the toggle; returns the function that stops following. */
export function followKubernetesSetting(settings: SettingsStore, toggle: KubernetesToggle): () => void {
  let enabled = settings.get().kubernetesEnabled;
  return settings.onChange((next) => {
    if (next.kubernetesEnabled === enabled) return;
    enabled = next.kubernetesEnabled;
    void toggle.set(enabled);
  });
}
