import type { V1Pod } from '@kubernetes/client-node';
import type { PodOutcome } from './clusterActionsContract';

// Which of a node's pods `kubectl drain --ignore-daemonsets` evicts, leaves, or refuses to touch
// (k8s.io/kubectl/pkg/drain/filters.go): DaemonSet and mirror pods stay; pods no controller would
// recreate need `force`, pods with emptyDir data need `deleteEmptyDirData`; finished pods always go.

export interface DrainPlan {
  evict: V1Pod[];
  skipped: PodOutcome[];
  refused: PodOutcome[];
}

export interface DrainChoices {
  force: boolean;
  deleteEmptyDirData: boolean;
}

const mirrorAnnotation = 'kubernetes.io/config.mirror';

export const podName = (pod: V1Pod) => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;

const isFinished = (pod: V1Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const controllerKind = (pod: V1Pod) => pod.metadata?.ownerReferences?.find((ref) => ref.controller)?.kind;

export function planDrain(pods: V1Pod[], choices: DrainChoices): DrainPlan {
  const plan: DrainPlan = { evict: [], skipped: [], refused: [] };
  for (const pod of pods) {
    const pod_ = podName(pod);
    if (pod.metadata?.annotations?.[mirrorAnnotation] !== undefined) {
      plan.skipped.push({ pod: pod_, reason: 'mirror pod (its node manages it)' });
      continue;
    }
    const kind = controllerKind(pod);
    if (kind === 'DaemonSet') {
      plan.skipped.push({ pod: pod_, reason: 'DaemonSet-managed pod' });
      continue;
    }
    if (!isFinished(pod)) {
      if (!kind && !choices.force) {
        plan.refused.push({
          pod: pod_,
          reason: 'declares no controller, nothing would recreate it (force to override)',
        });
        continue;
      }
      if (!choices.deleteEmptyDirData && (pod.spec?.volumes ?? []).some((v) => v.emptyDir)) {
        plan.refused.push({ pod: pod_, reason: 'has local storage (emptyDir) that would be lost' });
        continue;
      }
    }
    plan.evict.push(pod);
  }
  return plan;
}
