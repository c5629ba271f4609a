// The disruption controller: keeps every PodDisruptionBudget's status current (expected, desired
// and current healthy pods, disruptions allowed, the DisruptionAllowed condition, observed
// generation) from the pods it selects and the scale of their controllers. The eviction API reads
// that status (see evictionAdmission.ts).
// https://kubernetes.io/docs/concepts/workloads/pods/disruptions/

import { isDeepStrictEqual } from 'node:util';
import type { V1OwnerReference, V1Pod, V1ReplicationController } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import type { ControllerContext, ControllerFactory } from '../runtime/controllerContext';
import { byNamespace, namespaceIndex } from '../runtime/informer';
import { objectKey, splitKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { queueController } from '../runtime/queueController';
import { type ResourceRef, resources } from '../runtime/resources';
import {
  budgetSelects,
  budgetStatus,
  type ControllerScaleOf,
  countBudget,
  failedBudgetStatus,
} from './disruptionBudget';

const replicationControllers: ResourceRef<V1ReplicationController> = {
  group: '',
  version: 'v1',
  plural: 'replicationcontrollers',
};

/** Finds the scale behind a pod's controller: Deployment (through its ReplicaSet), ReplicaSet,
 * StatefulSet or ReplicationController, as the disruption controller's finders do. */
function scaleFinder(ctx: ControllerContext): ControllerScaleOf {
  const replicaSets = ctx.informers.for(resources.replicaSets);
  const deployments = ctx.informers.for(resources.deployments);
  const statefulSets = ctx.informers.for(resources.statefulSets);
  const rcs = ctx.informers.for(replicationControllers);
  const same = (obj: { metadata?: { uid?: string } } | undefined, ref: V1OwnerReference) =>
    obj !== undefined && obj.metadata?.uid === ref.uid;
  return (pod) => {
    const ref = controllerOf(pod);
    const namespace = pod.metadata?.namespace;
    if (!ref) return undefined;
    switch (ref.kind) {
      case 'ReplicaSet': {
        const rs = replicaSets.get(namespace, ref.name);
        if (!same(rs, ref)) return undefined;
        const owner = rs ? controllerOf(rs) : undefined;
        if (owner?.kind === 'Deployment') {
          const deployment = deployments.get(namespace, owner.name);
          if (!same(deployment, owner)) return undefined;
          return { uid: owner.uid, replicas: deployment?.spec?.replicas ?? 1 };
        }
        return { uid: ref.uid, replicas: rs?.spec?.replicas ?? 1 };
      }
      case 'StatefulSet': {
        const sts = statefulSets.get(namespace, ref.name);
        return same(sts, ref) ? { uid: ref.uid, replicas: sts?.spec?.replicas ?? 1 } : undefined;
      }
      case 'ReplicationController': {
        const rc = rcs.get(namespace, ref.name);
        return same(rc, ref) ? { uid: ref.uid, replicas: rc?.spec?.replicas ?? 1 } : undefined;
      }
      default:
        return undefined;
    }
  };
}

export const disruptionController: ControllerFactory = (ctx) => {
  const budgets = ctx.informers.for(resources.podDisruptionBudgets);
  const pods = ctx.informers.for(resources.pods);
  const client = ctx.client.resource(resources.podDisruptionBudgets);
  const recorder = ctx.recorder('controllermanager');
  const scaleOf = scaleFinder(ctx);
  if (!budgets.hasIndex(byNamespace)) budgets.addIndex(byNamespace, namespaceIndex);
  if (!pods.hasIndex(byNamespace)) pods.addIndex(byNamespace, namespaceIndex);

  const controller = queueController({
    name: 'disruption',
    log: ctx.log,
    reconcile: async (key) => {
      const { namespace, name } = splitKey(key);
      const pdb = budgets.get(namespace, name);
      if (!pdb) return;
      const selected = pods.byIndex(byNamespace, namespace ?? '').filter((p) => budgetSelects(pdb, p));
      const now = ctx.clock.now();
      let status = pdb.status;
      let recheckAt: number | undefined;
      try {
        const counts = countBudget(pdb, selected, scaleOf, now);
        if (counts.unmanagedPods.length > 0) {
          recorder.event(
            pdb,
            'Warning',
            'UnmanagedPods',
            `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorFromObject(pdb.spec?.selector).toString()}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
          );
        }
        status = budgetStatus(pdb, counts, now);
        recheckAt = counts.recheckAt;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        recorder.event(
          pdb,
          'Warning',
          'CalculateExpectedPodCountFailed',
          `Failed to calculate the number of expected pods: ${message}`,
        );
        status = failedBudgetStatus(pdb, message, now);
      }
      if (!isDeepStrictEqual(status, pdb.status)) {
        const next = structuredClone(pdb);
        next.status = status;
        // Pinned on the cached version: an eviction that changed the status meanwhile makes this
        // a conflict, retried with fresh counts.
        await client.updateStatus(next);
      }
      if (recheckAt !== undefined) return { requeueAfterMs: Math.max(0, recheckAt - now.getTime()) };
    },
  });

  const enqueueFor = (pod: V1Pod) => {
    for (const pdb of budgets.byIndex(byNamespace, pod.metadata?.namespace ?? '')) {
      if (budgetSelects(pdb, pod)) controller.queue.add(objectKey(pdb));
    }
  };
  budgets.addHandlers({
    onAdd: (pdb) => controller.queue.add(objectKey(pdb)),
    onUpdate: (_old, pdb) => controller.queue.add(objectKey(pdb)),
  });
  pods.addHandlers({
    onAdd: enqueueFor,
    onUpdate: (old, pod) => {
      enqueueFor(pod);
      if (!isDeepStrictEqual(old.metadata?.labels, pod.metadata?.labels)) enqueueFor(old);
    },
    onDelete: enqueueFor,
  });
  return controller;
};
