import type {
  CoreV1Event,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Namespace,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { RowHealth, ViewResource } from './clusterViewContract';

// The colour a row gets, from the same facts a person reads in `kubectl get`: a pod's STATUS
// column, a workload's ready count against its desired count, a node's Ready condition.

const podErrors = new Set([
  'CrashLoopBackOff',
  'Error',
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'OOMKilled',
  'Failed',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'ContainerCannotRun',
  'Evicted',
  'DeadlineExceeded',
]);

function podHealth(pod: V1Pod, status: string): RowHealth {
  if (podErrors.has(status) || status.startsWith('Init:Error') || status.startsWith('Init:Crash'))
    return 'error';
  if (status === 'Completed' || status === 'Succeeded') return 'done';
  if (status === 'Running') {
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    return ready ? 'ok' : 'warning';
  }
  if (status === 'Unknown' || status === 'NodeLost') return 'warning';
  return 'progress';
}

function replicasHealth(desired: number, ready: number): RowHealth {
  if (ready >= desired) return 'ok';
  return 'progress';
}

const hasCondition = (
  conditions: { type: string; status: string }[] | undefined,
  type: string,
  status = 'True',
) => (conditions ?? []).some((c) => c.type === type && c.status === status);

export function rowHealth(resource: ViewResource, obj: object, cells: readonly unknown[]): RowHealth {
  switch (resource) {
    case 'pods':
      return podHealth(obj as V1Pod, String(cells[2] ?? ''));
    case 'deployments': {
      const d = obj as V1Deployment;
      if (hasCondition(d.status?.conditions, 'Progressing', 'False')) return 'error';
      return replicasHealth(d.spec?.replicas ?? 1, d.status?.availableReplicas ?? 0);
    }
    case 'statefulsets': {
      const s = obj as V1StatefulSet;
      return replicasHealth(s.spec?.replicas ?? 1, s.status?.readyReplicas ?? 0);
    }
    case 'replicasets': {
      const r = obj as V1ReplicaSet;
      if (hasCondition(r.status?.conditions, 'ReplicaFailure')) return 'error';
      return replicasHealth(r.spec?.replicas ?? 1, r.status?.readyReplicas ?? 0);
    }
    case 'daemonsets': {
      const s = (obj as V1DaemonSet).status;
      return replicasHealth(s?.desiredNumberScheduled ?? 0, s?.numberReady ?? 0);
    }
    case 'jobs': {
      const conditions = (obj as V1Job).status?.conditions;
      if (hasCondition(conditions, 'Failed')) return 'error';
      if (hasCondition(conditions, 'Complete')) return 'done';
      return 'progress';
    }
    case 'nodes': {
      const node = obj as V1Node;
      if (!hasCondition(node.status?.conditions, 'Ready')) return 'error';
      return node.spec?.unschedulable ? 'warning' : 'ok';
    }
    case 'events':
      return (obj as CoreV1Event).type === 'Warning' ? 'warning' : 'none';
    case 'persistentvolumeclaims': {
      const phase = (obj as V1PersistentVolumeClaim).status?.phase;
      return phase === 'Bound' ? 'ok' : phase === 'Lost' ? 'error' : 'progress';
    }
    case 'persistentvolumes': {
      const phase = (obj as V1PersistentVolume).status?.phase;
      if (phase === 'Bound') return 'ok';
      if (phase === 'Failed') return 'error';
      return phase === 'Released' ? 'warning' : 'none';
    }
    case 'namespaces':
      return (obj as V1Namespace).status?.phase === 'Terminating' ? 'progress' : 'none';
    default:
      return 'none';
  }
}
