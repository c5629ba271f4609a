// Releases the tracking finalizer of pods no running Job will count: their Job is gone or
// finished, or they have lost their controller. Without this such pods could never be deleted.

import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { ResourceClient } from '../runtime/clusterClient';
import type { Informer } from '../runtime/informer';
import { controllerOf } from '../runtime/ownerReferences';
import { isJobFinished } from './jobConditions';
import { jobTrackingFinalizer } from './jobPods';

export async function releaseOrphanPod(
  key: string,
  podInformer: Informer<V1Pod>,
  jobInformer: Informer<V1Job>,
  pods: ResourceClient<V1Pod>,
): Promise<void> {
  const cached = podInformer.getByKey(key);
  if (!cached) return;
  const ref = controllerOf(cached);
  if (ref) {
    // A pod controlled by something other than a batch/v1 Job keeps its finalizers.
    if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
    const job = jobInformer.get(cached.metadata?.namespace, ref.name);
    const sameJob = job?.metadata?.uid === ref.uid ? job : undefined;
    if (sameJob && !isJobFinished(sameJob)) return;
  }
  await pods.mutate(cached.metadata?.namespace, cached.metadata?.name ?? '', (live) => {
    const finalizers = live.metadata?.finalizers ?? [];
    if (live.metadata?.uid !== cached.metadata?.uid || !finalizers.includes(jobTrackingFinalizer))
      return undefined;
    live.metadata = { ...live.metadata, finalizers: finalizers.filter((f) => f !== jobTrackingFinalizer) };
    return live;
  });
}
