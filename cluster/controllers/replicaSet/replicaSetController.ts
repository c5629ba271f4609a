// The ReplicaSet controller: keeps `spec.replicas` active pods from the template, as Kubernetes'
// replicaset controller does. Each sync claims the matching pods (adopting orphans, releasing pods
// that no longer match), creates the missing ones in slow-start batches (at most 500 per sync) or
// deletes the surplus in the order podsToDelete gives, and writes status. Expectations keep a
// sync that runs before the cache has seen this controller's own creates and deletes from acting
// again. Terminating and finished pods do not count.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/replicaset/replica_set.go

import { isDeepStrictEqual } from 'node:util';
import type { V1Pod, V1ReplicaSet, V1ReplicaSetStatus } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import type { ControllerFactory } from '../runtime/controllerContext';
import { byNamespace } from '../runtime/informer';
import { objectKey } from '../runtime/objectKey';
import { controllerOf, controllerRef } from '../runtime/ownerReferences';
import { type QueueController, queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { claimObjects } from './claimObjects';
import { ControllerExpectations } from './controllerExpectations';
import { byControllerUid, claimCandidates, ensureControllerIndexes } from './controllerIndexes';
import { podFromTemplate } from './podFromTemplate';
import { isPodActive, isPodTerminating, msUntilAvailable } from './podState';
import { podsToDelete } from './podsToDelete';
import { calculateReplicaSetStatus } from './replicaSetStatus';
import { slowStartBatch } from './slowStartBatch';

export const replicaSetControllerName = 'replicaset-controller';

export interface ReplicaSetControllerOptions {
  /** Most pods created or deleted in one sync; Kubernetes' default is 500. */
  burstReplicas?: number;
  /** ReplicaSets synced at once; Kubernetes' default is 5. */
  workers?: number;
  /** Pod events for one ReplicaSet within this window lead to one sync (as the Job controller
   * batches pod updates): a rollout of hundreds of pods then costs tens of syncs, not thousands.
   * Default 25 ms. */
  podBatchMs?: number;
}

function sameStatus(a: V1ReplicaSetStatus | undefined, b: V1ReplicaSetStatus): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? {})), JSON.parse(JSON.stringify(b)));
}

function errorOf(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function createReplicaSetController(options: ReplicaSetControllerOptions = {}): ControllerFactory {
  const burstReplicas = options.burstReplicas ?? 500;
  const podBatchMs = options.podBatchMs ?? 25;
  return (ctx) => {
    const replicaSets = ctx.informers.for(resources.replicaSets);
    const pods = ctx.informers.for(resources.pods);
    ensureControllerIndexes(replicaSets);
    ensureControllerIndexes(pods);
    const rsClient = ctx.client.resource(resources.replicaSets);
    const podClient = ctx.client.resource(resources.pods);
    const recorder = ctx.recorder(replicaSetControllerName);
    const expectations = new ControllerExpectations(ctx.clock);
    const log = ctx.log.child({ controller: 'replicaset' });

    /** The ReplicaSet a controller reference names, if it is the one cached. */
    function resolve(namespace: string | undefined, pod: V1Pod): V1ReplicaSet | undefined {
      const ref = controllerOf(pod);
      if (ref?.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
      const rs = replicaSets.get(namespace, ref.name);
      return rs?.metadata?.uid === ref.uid ? rs : undefined;
    }

    /** ReplicaSets whose (non-empty) selector matches an orphan pod. */
    function matchingReplicaSets(pod: V1Pod): V1ReplicaSet[] {
      return replicaSets.byIndex(byNamespace, pod.metadata?.namespace ?? '').filter((rs) => {
        const selector = labelSelectorFromObject(rs.spec?.selector);
        return !selector.isEverything() && selector.matches(pod.metadata?.labels);
      });
    }

    let controller: QueueController;
    const enqueue = (rs: V1ReplicaSet) => controller.queue.add(objectKey(rs));
    const enqueueForPod = (rs: V1ReplicaSet) => controller.queue.addAfter(objectKey(rs), podBatchMs);

    function podGone(pod: V1Pod): void {
      const rs = resolve(pod.metadata?.namespace, pod);
      if (!rs) return;
      expectations.deletionObserved(objectKey(rs), objectKey(pod));
      enqueueForPod(rs);
    }

    pods.addHandlers({
      onAdd(pod) {
        if (pod.metadata?.deletionTimestamp) {
          podGone(pod);
          return;
        }
        if (controllerOf(pod)) {
          const rs = resolve(pod.metadata?.namespace, pod);
          if (!rs) return;
          expectations.creationObserved(objectKey(rs));
          enqueueForPod(rs);
          return;
        }
        for (const rs of matchingReplicaSets(pod)) enqueueForPod(rs);
      },
      onUpdate(old, pod) {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        const labelsChanged = !isDeepStrictEqual(old.metadata?.labels ?? {}, pod.metadata?.labels ?? {});
        if (pod.metadata?.deletionTimestamp) {
          podGone(pod);
          if (labelsChanged) podGone(old);
          return;
        }
        const oldRef = controllerOf(old);
        const ref = controllerOf(pod);
        const refChanged = oldRef?.uid !== ref?.uid;
        if (refChanged && oldRef) {
          const previous = resolve(old.metadata?.namespace, old);
          if (previous) enqueueForPod(previous);
        }
        if (ref) {
          const rs = resolve(pod.metadata?.namespace, pod);
          if (!rs) return;
          // A pod turning Ready under minReadySeconds is looked at again by the requeue reconcile asks for.
          enqueueForPod(rs);
          return;
        }
        if (labelsChanged || refChanged) for (const rs of matchingReplicaSets(pod)) enqueueForPod(rs);
      },
      onDelete: podGone,
    });

    replicaSets.addHandlers({
      onAdd: enqueue,
      onUpdate(old, rs) {
        if (old.metadata?.uid !== rs.metadata?.uid) expectations.delete(objectKey(old));
        enqueue(rs);
      },
      onDelete(rs) {
        expectations.delete(objectKey(rs));
        enqueue(rs);
      },
    });

    /** Pods of every ReplicaSet sharing this one's controller, to spread deletions across nodes. */
    function relatedPods(rs: V1ReplicaSet): V1Pod[] {
      const owner = controllerOf(rs);
      if (!owner) return [];
      const seen = new Map<string, V1Pod>();
      for (const sibling of replicaSets.byIndex(byControllerUid, owner.uid)) {
        for (const pod of pods.byIndex(byControllerUid, sibling.metadata?.uid ?? '')) {
          seen.set(pod.metadata?.uid ?? '', pod);
        }
      }
      return [...seen.values()];
    }

    async function createPods(rs: V1ReplicaSet, key: string, count: number): Promise<void> {
      const meta = rs.metadata ?? {};
      const template = rs.spec?.template ?? {};
      const owner = controllerRef(rs, 'apps/v1', 'ReplicaSet');
      expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, 1, async () => {
        const pod = podFromTemplate(template, meta.namespace ?? 'default', `${meta.name}-`, owner);
        try {
          const created = await podClient.create(pod);
          recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
        } catch (err) {
          recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorOf(err).message}`);
          throw err;
        }
      });
      // Pods never asked for will never be observed.
      for (let i = successes; i < count; i++) expectations.creationObserved(key);
      if (error !== undefined) throw errorOf(error);
    }

    /** Deletes `victims`; resolves with the uids deleted, rejects with the first failure. */
    async function deletePods(rs: V1ReplicaSet, key: string, victims: V1Pod[]): Promise<Set<string>> {
      expectations.expectDeletions(key, victims.map(objectKey));
      const deleted = new Set<string>();
      const failures: Error[] = [];
      await Promise.all(
        victims.map(async (pod) => {
          const meta = pod.metadata ?? {};
          try {
            // Preconditioned on uid: a same-named pod created meanwhile is not ours to delete.
            const existed = await podClient.delete(meta.namespace, meta.name ?? '', {
              preconditions: { uid: meta.uid ?? '' },
            });
            if (!existed) expectations.deletionObserved(key, objectKey(pod));
            deleted.add(meta.uid ?? '');
            if (existed) recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${meta.name}`);
          } catch (err) {
            expectations.deletionObserved(key, objectKey(pod));
            recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorOf(err).message}`);
            failures.push(errorOf(err));
          }
        }),
      );
      if (failures[0]) throw failures[0];
      return deleted;
    }

    async function reconcile(key: string) {
      const rs = replicaSets.getByKey(key);
      if (!rs) {
        expectations.delete(key);
        return;
      }
      const meta = rs.metadata ?? {};
      const namespace = meta.namespace ?? 'default';
      const needsSync = expectations.satisfied(key);
      const selector = labelSelectorFromObject(rs.spec?.selector);
      const active = await claimObjects(claimCandidates(pods, rs).filter(isPodActive), {
        owner: rs,
        ownerApiVersion: 'apps/v1',
        ownerKind: 'ReplicaSet',
        selector,
        client: podClient,
        getOwner: () => rsClient.get(namespace, meta.name ?? ''),
      });
      let manageError: Error | undefined;
      let owned = active;
      if (needsSync && !meta.deletionTimestamp) {
        const diff = active.length - (rs.spec?.replicas ?? 1);
        try {
          if (diff < 0) await createPods(rs, key, Math.min(-diff, burstReplicas));
          else if (diff > 0) {
            const now = ctx.clock.now();
            const victims = podsToDelete(active, relatedPods(rs), Math.min(diff, burstReplicas), now);
            const deleted = await deletePods(rs, key, victims);
            // What was just deleted is terminating already; leaving it out keeps status honest.
            owned = active.filter((p) => !deleted.has(p.metadata?.uid ?? ''));
          }
        } catch (err) {
          manageError = errorOf(err);
        }
      }
      const terminating = pods
        .byIndex(byControllerUid, meta.uid ?? '')
        .filter((p) => isPodTerminating(p) && selector.matches(p.metadata?.labels)).length;
      const now = ctx.clock.now();
      const status = calculateReplicaSetStatus({
        rs,
        pods: owned,
        terminating,
        now,
        ...(manageError ? { manageError } : {}),
      });
      if (!sameStatus(rs.status, status) || rs.status?.observedGeneration !== meta.generation) {
        status.observedGeneration = meta.generation ?? 0;
        await rsClient.updateStatus({ ...structuredClone(rs), status });
      }
      if (manageError) throw manageError;
      // Pods Ready but not yet for minReadySeconds become available later with no event to say so.
      const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0) {
        const waits = owned
          .map((p) => msUntilAvailable(p, minReadySeconds, now))
          .filter((ms): ms is number => ms !== undefined && ms > 0);
        if (waits.length > 0) return { requeueAfterMs: Math.min(...waits) };
      }
      return undefined;
    }

    controller = queueController({
      name: 'replicaset',
      reconcile,
      log,
      workers: options.workers ?? 5,
    });
    return controller;
  };
}

export const replicaSetController: ControllerFactory = createReplicaSetController();
