import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../cluster/log';
import { type PortForward, startPortForward } from '../portForward/startPortForward';
import type { PortForwardRequest, PortForwardView } from './clusterActionsContract';
import type { KubeApis } from './kubeApis';

// The port-forwards the UI started: each listens on 127.0.0.1 (startPortForward, the same code as
// `kubedesk port-forward`) until the person stops it or the host stops.

export class PortForwardNotFoundError extends Error {
  override name = 'PortForwardNotFoundError';
  readonly code = 'NotFound';
}

export function createPortForwards(log: Logger) {
  const active = new Map<string, { view: PortForwardView; forward: PortForward }>();
  return {
    async start(apis: KubeApis, request: PortForwardRequest): Promise<PortForwardView> {
      const forward = await startPortForward({
        kubeConfig: apis.config,
        namespace: request.namespace,
        target: request.target,
        localPort: request.localPort,
        remotePort: request.remotePort,
        onConnectionError: (err) =>
          log.warn('port-forward connection failed', { target: request.target, error: err.message }),
      });
      const view: PortForwardView = {
        id: `pf-${randomUUID().slice(0, 8)}`,
        namespace: request.namespace,
        target: request.target,
        localPort: forward.localPort,
        remotePort: request.remotePort,
        url: `http://127.0.0.1:${forward.localPort}/`,
      };
      active.set(view.id, { view, forward });
      return view;
    },
    async stop(id: string): Promise<void> {
      const entry = active.get(id);
      if (!entry) throw new PortForwardNotFoundError(`port-forward ${id} is not running`);
      active.delete(id);
      await entry.forward.stop();
    },
    list: (): PortForwardView[] => [...active.values()].map((e) => e.view),
  };
}
