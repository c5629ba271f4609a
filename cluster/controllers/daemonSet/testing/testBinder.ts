// A stand-in scheduler for workload controller tests: binds each unbound pod to the node its
// required affinity pins it to (`metadata.name In [node]`, as DaemonSet pods are pinned), or else
// to the Ready, uncordoned nodes in turn. It decides nothing else; when the real scheduler also
// runs, a pod it bound first is simply skipped.

import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { isApiError } from '../../../api/status';
import type { ControllerContext } from '../../runtime/controllerContext';
import { resources } from '../../runtime/resources';

export interface TestBinder {
  stop(): void;
}

function pinnedNode(pod: V1Pod): string | undefined {
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    const field = term.matchFields?.find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (field?.values?.length === 1) return field.values[0];
  }
  return undefined;
}

function schedulable(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return ready && !node.spec?.unschedulable;
}

export async function startTestBinder(ctx: ControllerContext): Promise<TestBinder> {
  const pods = ctx.informers.for(resources.pods);
  const nodes = ctx.informers.for(resources.nodes);
  await Promise.all([pods.start(), nodes.start()]);
  const binder = ctx.client.withFieldManager('test-binder');
  let stopped = false;
  let turn = 0;

  function bind(pod: V1Pod): void {
    if (stopped || pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    const pinned = pinnedNode(pod);
    // A pinned (daemon) pod tolerates cordons and node conditions; it only needs its node.
    const candidates = pinned ? nodes.list() : nodes.list().filter(schedulable);
    const node = pinned
      ? candidates.find((n) => n.metadata?.name === pinned)
      : candidates[turn++ % Math.max(1, candidates.length)];
    if (!node?.metadata?.name) return;
    binder.bind(pod, node.metadata.name).catch((err: unknown) => {
      // Bound meanwhile (409) or deleted (404): nothing left to do.
      if (!isApiError(err) || (err.code !== 409 && err.code !== 404)) {
        ctx.log.warn('test binder failed', { pod: pod.metadata?.name, error: String(err) });
      }
    });
  }

  pods.addHandlers({ onAdd: bind, onUpdate: (_, pod) => bind(pod) });
  const bindAll = () => {
    for (const pod of pods.list()) bind(pod);
  };
  nodes.addHandlers({ onAdd: bindAll, onUpdate: bindAll });
  return {
    stop() {
      stopped = true;
    },
  };
}
