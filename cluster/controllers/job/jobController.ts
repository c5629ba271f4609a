// The Job controller: Jobs and their pods feed a work queue of Job keys (syncJob does the work),
// and a second queue releases the tracking finalizer of pods whose Job no longer counts them.
// Pod events settle the expectations that keep a stale cache from double-creating or
// double-counting. https://kubernetes.io/docs/concepts/workloads/controllers/job/

import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { isConflict } from '../runtime/clusterClient';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { type Controller, queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { FinalizerExpectations, PodExpectations } from './expectations';
import { isJobFinished } from './jobConditions';
import { hasTrackingFinalizer } from './jobPods';
import { jobUidOfPod, podsByJobUid, syncJob } from './jobSync';
import type { JobControllerOptions, JobSyncDeps } from './jobSyncState';
import { releaseOrphanPod } from './orphanPodFinalizers';
import { PodBackoffStore } from './podBackoff';

const defaultPodFailureBackoffMs = 10_000;
const defaultMaxPodFailureBackoffMs = 6 * 60_000;

export function jobControllerWith(options: JobControllerOptions = {}): ControllerFactory {
  return (ctx) => {
    const jobInformer = ctx.informers.for(resources.jobs);
    const podInformer = ctx.informers.for(resources.pods);
    if (!podInformer.hasIndex(podsByJobUid)) podInformer.addIndex(podsByJobUid, jobUidOfPod);
    const log = ctx.log.child({ controller: 'job' });
    const expectations = new PodExpectations();
    const finalizerExpectations = new FinalizerExpectations();

    const jobs = queueController({
      name: 'job',
      log,
      clock: ctx.clock,
      reconcile: async (key) => {
        try {
          await syncJob(deps, key);
        } catch (err) {
          // A newer Job is on its way through the informer, which queues the key again.
          if (!isConflict(err)) throw err;
        }
      },
    });
    const orphans = queueController({
      name: 'job-orphan-pod',
      log,
      reconcile: (key) => releaseOrphanPod(key, podInformer, jobInformer, deps.pods),
    });
    const deps: JobSyncDeps = {
      jobs: ctx.client.resource(resources.jobs),
      pods: ctx.client.resource(resources.pods),
      jobInformer,
      podInformer,
      recorder: ctx.recorder('job-controller'),
      clock: ctx.clock,
      expectations,
      finalizerExpectations,
      backoffs: new PodBackoffStore(),
      requeue: jobs.requeue,
      podFailureBackoffMs: options.podFailureBackoffMs ?? defaultPodFailureBackoffMs,
      maxPodFailureBackoffMs: options.maxPodFailureBackoffMs ?? defaultMaxPodFailureBackoffMs,
    };

    const jobOf = (pod: V1Pod): V1Job | undefined => {
      const ref = controllerOf(pod);
      if (ref?.kind !== 'Job') return undefined;
      const job = jobInformer.get(pod.metadata?.namespace, ref.name);
      return job?.metadata?.uid === ref.uid ? job : undefined;
    };
    const releaseIfOrphan = (pod: V1Pod) => {
      if (!controllerOf(pod) && hasTrackingFinalizer(pod)) orphans.queue.add(objectKey(pod));
    };
    /** Pods of a finished or deleted Job that still hold the finalizer. */
    const releasePodsOf = (job: V1Job) => {
      for (const pod of podInformer.byIndex(podsByJobUid, job.metadata?.uid ?? '')) {
        if (hasTrackingFinalizer(pod)) orphans.queue.add(objectKey(pod));
      }
    };
    const podGone = (pod: V1Pod, final: boolean) => {
      const job = controllerOf(pod) ? jobOf(pod) : undefined;
      if (!job || isJobFinished(job)) {
        if (hasTrackingFinalizer(pod)) orphans.queue.add(objectKey(pod));
        return;
      }
      const key = objectKey(job);
      expectations.deletionObserved(key);
      if (final || !hasTrackingFinalizer(pod))
        finalizerExpectations.removalObserved(key, pod.metadata?.uid ?? '');
      jobs.queue.add(key);
    };

    podInformer.addHandlers({
      onAdd(pod) {
        if (pod.metadata?.deletionTimestamp) return podGone(pod, false);
        const job = jobOf(pod);
        if (!job) return releaseIfOrphan(pod);
        expectations.creationObserved(objectKey(job));
        jobs.queue.add(objectKey(job));
      },
      onUpdate(old, pod) {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (pod.metadata?.deletionTimestamp) return podGone(pod, false);
        const previous = controllerOf(old)?.uid !== controllerOf(pod)?.uid ? jobOf(old) : undefined;
        if (previous) jobs.queue.add(objectKey(previous));
        const job = jobOf(pod);
        if (!job) return releaseIfOrphan(pod);
        if (!hasTrackingFinalizer(pod))
          finalizerExpectations.removalObserved(objectKey(job), pod.metadata?.uid ?? '');
        jobs.queue.add(objectKey(job));
      },
      onDelete: (pod) => podGone(pod, true),
    });
    jobInformer.addHandlers({
      onAdd: (job) => jobs.queue.add(objectKey(job)),
      onUpdate(_old, job) {
        jobs.queue.add(objectKey(job));
        // A backstop: a finished Job should have released all its pods already.
        if (isJobFinished(job)) releasePodsOf(job);
      },
      onDelete(job) {
        jobs.queue.add(objectKey(job));
        releasePodsOf(job);
      },
    });

    const controller: Controller = {
      name: 'job',
      run() {
        jobs.run();
        orphans.run();
      },
      stop() {
        jobs.stop();
        orphans.stop();
      },
    };
    return controller;
  };
}

/** The Job controller with Kubernetes' pod failure back-off (10 s doubling, capped at six minutes). */
export const jobController: ControllerFactory = jobControllerWith();
