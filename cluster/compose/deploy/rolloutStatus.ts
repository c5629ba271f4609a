import type {
  KubernetesObject,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';

// Whether an applied object has rolled out, judged the way `kubectl rollout status` and
// `kubectl wait --for=condition=...` do. https://github.com/kubernetes/kubectl/blob/master/pkg/polymorphichelpers/rollout_status.go

export interface Rollout {
  state: 'ready' | 'progressing' | 'failed';
  message: string;
}

const observed = (object: { metadata?: { generation?: number }; status?: { observedGeneration?: number } }) =>
  (object.status?.observedGeneration ?? 0) >= (object.metadata?.generation ?? 0);

export function rolloutStatus(object: KubernetesObject): Rollout {
  switch (object.kind) {
    case 'Deployment':
      return deploymentRollout(object as V1Deployment);
    case 'StatefulSet':
      return statefulSetRollout(object as V1StatefulSet);
    case 'DaemonSet':
      return daemonSetRollout(object as V1DaemonSet);
    case 'Job':
      return jobRollout(object as V1Job);
    case 'Pod':
      return podRollout(object as V1Pod);
    default:
      // ConfigMaps, Services, claims, CronJobs...: applied is all there is to wait for.
      return { state: 'ready', message: 'applied' };
  }
}

function deploymentRollout(d: V1Deployment): Rollout {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { state: 'failed', message: `deployment exceeded its progress deadline` };
  if (!observed(d)) return { state: 'progressing', message: 'waiting for the deployment to be observed' };
  if ((s.updatedReplicas ?? 0) < want)
    return { state: 'progressing', message: `${s.updatedReplicas ?? 0} of ${want} updated replicas` };
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return {
      state: 'progressing',
      message: `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`,
    };
  if ((s.availableReplicas ?? 0) < want)
    return { state: 'progressing', message: `${s.availableReplicas ?? 0} of ${want} replicas available` };
  return { state: 'ready', message: `${want} of ${want} replicas available` };
}

function statefulSetRollout(s: V1StatefulSet): Rollout {
  const want = s.spec?.replicas ?? 1;
  const ready = s.status?.readyReplicas ?? 0;
  if (!observed(s)) return { state: 'progressing', message: 'waiting for the statefulset to be observed' };
  if (ready < want) return { state: 'progressing', message: `${ready} of ${want} replicas ready` };
  if ((s.status?.updatedReplicas ?? want) < want)
    return { state: 'progressing', message: `${s.status?.updatedReplicas ?? 0} of ${want} replicas updated` };
  return { state: 'ready', message: `${want} of ${want} replicas ready` };
}

function daemonSetRollout(d: V1DaemonSet): Rollout {
  const s = d.status;
  if (!s || !observed(d))
    return { state: 'progressing', message: 'waiting for the daemonset to be observed' };
  const want = s.desiredNumberScheduled;
  if ((s.updatedNumberScheduled ?? 0) < want)
    return { state: 'progressing', message: `${s.updatedNumberScheduled ?? 0} of ${want} pods updated` };
  if ((s.numberAvailable ?? 0) < want)
    return { state: 'progressing', message: `${s.numberAvailable ?? 0} of ${want} pods available` };
  return { state: 'ready', message: `${want} of ${want} pods available` };
}

function jobRollout(j: V1Job): Rollout {
  const failed = j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed)
    return { state: 'failed', message: `job failed: ${failed.message ?? failed.reason ?? ''}`.trim() };
  const want = j.spec?.completions ?? 1;
  const done = j.status?.succeeded ?? 0;
  if (done >= want) return { state: 'ready', message: `${done} of ${want} completions` };
  return { state: 'progressing', message: `${done} of ${want} completions` };
}

function podRollout(p: V1Pod): Rollout {
  const phase = p.status?.phase ?? 'Pending';
  if (phase === 'Succeeded') return { state: 'ready', message: 'completed' };
  if (phase === 'Failed') return { state: 'failed', message: p.status?.message ?? 'pod failed' };
  const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  if (phase === 'Running' && ready) return { state: 'ready', message: 'running and ready' };
  const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  return { state: 'progressing', message: waiting?.reason ? `${phase}: ${waiting.reason}` : phase };
}
