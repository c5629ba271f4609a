// The CronJob controller: CronJobs and the Jobs they own feed a work queue of CronJob keys; each
// sync prunes history, reconciles the active list, maybe starts a Job, writes status, and asks
// to be woken at the next scheduled time on the controllers' clock (a test's ManualClock too).
// https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/

import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { isConflict } from '../runtime/clusterClient';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { type CronJobSyncDeps, cleanupFinishedJobs, syncCronJob } from './cronJobSync';

/** Job informer index: Jobs by the uid of the CronJob that controls them. */
const jobsByCronJobUid = 'cronjob-controller:cronjob-uid';

function cronJobUidOfJob(job: V1Job): string[] {
  const ref = controllerOf(job);
  return ref?.kind === 'CronJob' ? [ref.uid] : [];
}

export const cronJobController: ControllerFactory = (ctx) => {
  const cronJobInformer = ctx.informers.for(resources.cronJobs);
  const jobInformer = ctx.informers.for(resources.jobs);
  if (!jobInformer.hasIndex(jobsByCronJobUid)) jobInformer.addIndex(jobsByCronJobUid, cronJobUidOfJob);
  const deps: CronJobSyncDeps = {
    cronJobs: ctx.client.resource(resources.cronJobs),
    jobs: ctx.client.resource(resources.jobs),
    recorder: ctx.recorder('cronjob-controller'),
    clock: ctx.clock,
  };

  async function sync(key: string): Promise<void> {
    const cached = cronJobInformer.getByKey(key);
    if (!cached) return;
    const cronJob = structuredClone(cached);
    const jobs = jobInformer.byIndex(jobsByCronJobUid, cronJob.metadata?.uid ?? '');
    const pruned = await cleanupFinishedJobs(deps, cronJob, jobs);
    const { changed, next } = await syncCronJob(deps, cronJob, jobs);
    if (pruned || changed) {
      try {
        await deps.cronJobs.updateStatus(cronJob);
      } catch (err) {
        // A newer CronJob is on its way through the informer, which queues the key again.
        if (!isConflict(err)) throw err;
        return;
      }
    }
    if (next) requeue.at(key, next);
  }

  const controller = queueController({
    name: 'cronjob',
    log: ctx.log.child({ controller: 'cronjob' }),
    clock: ctx.clock,
    reconcile: sync,
  });
  const { requeue } = controller;
  const enqueueOwner = (job: V1Job) => {
    const ref = controllerOf(job);
    if (ref?.kind !== 'CronJob') return;
    const owner = cronJobInformer.get(job.metadata?.namespace, ref.name);
    if (owner?.metadata?.uid === ref.uid) controller.queue.add(objectKey(owner));
  };
  const enqueue = (cronJob: V1CronJob) => controller.queue.add(objectKey(cronJob));
  cronJobInformer.addHandlers({ onAdd: enqueue, onUpdate: (_old, cronJob) => enqueue(cronJob) });
  jobInformer.addHandlers({
    onAdd: enqueueOwner,
    onUpdate(old, job) {
      if (old.metadata?.resourceVersion === job.metadata?.resourceVersion) return;
      if (controllerOf(old)?.uid !== controllerOf(job)?.uid) enqueueOwner(old);
      enqueueOwner(job);
    },
    onDelete: enqueueOwner,
  });
  return controller;
};
