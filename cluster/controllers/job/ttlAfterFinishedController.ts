// The TTL-after-finished controller: deletes a finished Job (Complete or Failed) once
// `ttlSecondsAfterFinished` has passed since its terminal condition, re-reading the Job before the
// delete and deleting in the foreground with a uid precondition, as Kubernetes does.
// https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/

import type { V1Job } from '@kubernetes/client-node';
import type { ControllerFactory } from '../runtime/controllerContext';
import { objectKey, splitKey } from '../runtime/objectKey';
import { queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { isJobFinished } from './jobConditions';

/** When the Job's TTL runs out, or undefined when it has none or has not finished. */
export function jobExpiry(job: V1Job): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp || !isJobFinished(job))
    return undefined;
  const terminal = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  const finishedAt = terminal?.lastTransitionTime
    ? new Date(terminal.lastTransitionTime).getTime()
    : Number.NaN;
  if (Number.isNaN(finishedAt)) return undefined;
  return finishedAt + ttl * 1000;
}

export const ttlAfterFinishedController: ControllerFactory = (ctx) => {
  const informer = ctx.informers.for(resources.jobs);
  const client = ctx.client.resource(resources.jobs);
  const controller = queueController({
    name: 'ttl-after-finished',
    log: ctx.log.child({ controller: 'ttl-after-finished' }),
    clock: ctx.clock,
    async reconcile(key) {
      const cached = informer.getByKey(key);
      const expiry = cached && jobExpiry(cached);
      if (expiry === undefined) return;
      if (ctx.clock.now().getTime() < expiry) {
        requeue.at(key, new Date(expiry));
        return;
      }
      // The cached TTL may be stale: check the stored Job before deleting it.
      const { namespace, name } = splitKey(key);
      const fresh = await client.get(namespace, name);
      const freshExpiry = fresh && jobExpiry(fresh);
      if (freshExpiry === undefined) return;
      if (ctx.clock.now().getTime() < freshExpiry) {
        requeue.at(key, new Date(freshExpiry));
        return;
      }
      await client.delete(namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh?.metadata?.uid },
      });
    },
  });
  const { requeue } = controller;
  const enqueue = (job: V1Job) => {
    if (jobExpiry(job) !== undefined) controller.queue.add(objectKey(job));
  };
  informer.addHandlers({ onAdd: enqueue, onUpdate: (_old, job) => enqueue(job) });
  return controller;
};
