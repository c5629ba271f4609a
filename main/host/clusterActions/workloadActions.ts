import { PatchStrategy } from '@kubernetes/client-node';
import type { ScaleRequest, WorkloadRef } from './clusterActionsContract';
import { type KubeApis, patchAs } from './kubeApis';

// `kubectl scale` and `kubectl rollout restart`: a merge patch of the /scale subresource, and a
// strategic merge patch stamping the pod template with kubectl.kubernetes.io/restartedAt so the
// controller rolls every pod.

export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

export async function scaleWorkload(apis: KubeApis, request: ScaleRequest): Promise<void> {
  const params = {
    name: request.name,
    namespace: request.namespace,
    body: { spec: { replicas: request.replicas } },
  };
  const options = patchAs(PatchStrategy.MergePatch);
  switch (request.resource) {
    case 'deployments':
      await apis.apps.patchNamespacedDeploymentScale(params, options);
      return;
    case 'statefulsets':
      await apis.apps.patchNamespacedStatefulSetScale(params, options);
      return;
    case 'replicasets':
      await apis.apps.patchNamespacedReplicaSetScale(params, options);
      return;
  }
}

/** The patch `kubectl rollout restart` sends; `now` is RFC 3339 like kubectl's time.Now(). */
export function restartPatch(now: Date) {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: stamp } } } } };
}

export async function restartRollout(apis: KubeApis, ref: WorkloadRef, now = new Date()): Promise<void> {
  const params = { name: ref.name, namespace: ref.namespace, body: restartPatch(now) };
  const options = patchAs(PatchStrategy.StrategicMergePatch);
  switch (ref.resource) {
    case 'deployments': {
      const deployment = await apis.apps.readNamespacedDeployment(ref);
      // kubectl refuses too: a paused Deployment would take the change but never roll it out.
      if (deployment.spec?.paused) {
        throw new Error(`can't restart paused deployment (run rollout resume first)`);
      }
      await apis.apps.patchNamespacedDeployment(params, options);
      return;
    }
    case 'statefulsets':
      await apis.apps.patchNamespacedStatefulSet(params, options);
      return;
    case 'daemonsets':
      await apis.apps.patchNamespacedDaemonSet(params, options);
      return;
  }
}
