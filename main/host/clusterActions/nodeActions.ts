import { PatchStrategy } from '@kubernetes/client-node';
import type { DrainRequest, DrainResult } from './clusterActionsContract';
import { planDrain } from './drainPlan';
import { evictPods } from './evictPods';
import { type KubeApis, patchAs } from './kubeApis';

// `kubectl cordon|uncordon|drain <node>`: the same strategic merge patch of spec.unschedulable, and
// drain's evictions through pods/eviction so PodDisruptionBudgets are honoured.

export async function setUnschedulable(apis: KubeApis, name: string, unschedulable: boolean): Promise<void> {
  // kubectl's patch for uncordon removes the field (`null`), as an omitempty false would.
  const body = { spec: { unschedulable: unschedulable ? true : null } };
  await apis.core.patchNode({ name, body }, patchAs(PatchStrategy.StrategicMergePatch));
}

export async function drainNode(
  apis: KubeApis,
  request: DrainRequest,
  options: { retryMs?: number } = {},
): Promise<DrainResult> {
  await setUnschedulable(apis, request.name, true);
  const pods = await apis.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${request.name}` });
  const plan = planDrain(pods.items, request);
  const outcome = await evictPods(plan.evict, {
    timeoutMs: request.timeoutSeconds * 1000,
    ...(options.retryMs ? { retryMs: options.retryMs } : {}),
    evict: async (pod) => {
      const name = pod.metadata?.name ?? '';
      const namespace = pod.metadata?.namespace ?? 'default';
      await apis.core.createNamespacedPodEviction({
        name,
        namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
      });
    },
  });
  return { evicted: outcome.evicted, skipped: plan.skipped, failed: [...plan.refused, ...outcome.failed] };
}
