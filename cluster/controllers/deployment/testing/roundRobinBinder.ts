// Tests only: binds every unscheduled pod to the given nodes in turn, for tests of workload
// controllers that need pods to run on simulated nodes without depending on the scheduler. A pod
// someone else bound first (409) is left alone, so it can run beside the real scheduler.

import type { V1Pod } from '@kubernetes/client-node';
import type { ControllerContext } from '../../runtime/controllerContext';
import { resources } from '../../runtime/resources';

export interface RoundRobinBinder {
  stop(): void;
}

export function startRoundRobinBinder(ctx: ControllerContext, nodeNames: () => string[]): RoundRobinBinder {
  const informer = ctx.informers.for(resources.pods);
  const binder = ctx.client.withFieldManager('round-robin-binder');
  const pending = new Set<string>();
  let next = 0;
  let stopped = false;

  function consider(pod: V1Pod): void {
    const meta = pod.metadata ?? {};
    const uid = meta.uid ?? '';
    if (stopped || pod.spec?.nodeName || meta.deletionTimestamp || pending.has(uid)) return;
    const names = nodeNames();
    if (names.length === 0) return;
    const node = names[next++ % names.length] as string;
    pending.add(uid);
    binder
      .bind(pod, node)
      .catch(() => undefined)
      .finally(() => pending.delete(uid));
  }

  const handlers = { onAdd: consider, onUpdate: (_old: V1Pod, pod: V1Pod) => consider(pod) };
  informer.addHandlers(handlers);
  void informer.start();
  return {
    stop() {
      stopped = true;
      informer.removeHandlers(handlers);
    },
  };
}
