import type { Logger } from '../../log';
import { type Iptables, systemIptables } from './iptables';
import { parseIptablesSave } from './iptablesSave';
import { proxyRules } from './proxyRules';
import type { ServiceCache } from './serviceCache';
import { servicePorts } from './servicePorts';

// The node's Service proxy: on every Service or EndpointSlice change, recompute all rules and apply
// them in one iptables-restore. Changes arriving during a sync coalesce into one more sync. Rules
// stay in the kernel when the agent stops, so Services keep working across an agent restart; the
// first sync after a start replaces them whole. A periodic resync repairs rules others disturbed.

export interface ServiceProxyOptions {
  cache: ServiceCache;
  nodeName: string;
  /** The pod network (all nodes' pod CIDRs). */
  clusterCidr: string;
  log: Logger;
  iptables?: Iptables;
  resyncIntervalMs?: number;
  retryDelayMs?: number;
}

export interface ServiceProxy {
  /** Resolves after a sync that started after this call has finished. */
  sync(): Promise<void>;
  stop(): void;
}

export async function startServiceProxy(o: ServiceProxyOptions): Promise<ServiceProxy> {
  const iptables = o.iptables ?? systemIptables();
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const syncOnce = async () => {
    const started = performance.now();
    const ports = servicePorts(o.cache.services(), o.cache.endpointSlices(), o.nodeName);
    const saved = parseIptablesSave(await iptables.save(['nat', 'filter']));
    await iptables.restore(proxyRules(ports, { clusterCidr: o.clusterCidr, saved }));
    o.log.debug('proxy rules synced', {
      ports: ports.length,
      durationMs: Math.round(performance.now() - started),
    });
  };

  const sync = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      // The running loop makes one more pass for it.
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await syncOnce();
        } catch (err) {
          o.log.warn('proxy sync failed, retrying', { error: (err as Error).message });
          clearTimeout(retry);
          retry = setTimeout(() => void sync(), o.retryDelayMs ?? 1000);
          break;
        }
      } while (again && !stopped);
      running = undefined;
    })();
    return running;
  };

  o.cache.onChange(() => void sync());
  await sync();
  const resync = setInterval(() => void sync(), o.resyncIntervalMs ?? 30_000);
  return {
    sync,
    stop() {
      stopped = true;
      clearInterval(resync);
      clearTimeout(retry);
    },
  };
}
