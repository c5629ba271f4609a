// The StatefulSet controller, as Kubernetes' statefulset controller: each sync claims the set's
// revisions and pods, finds the current and update revisions, carries out what planStatefulSet
// decides (pods with stable names and their claims, ordered or in parallel), writes status and
// trims the revision history.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set.go

import type {
  V1ControllerRevision,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { isApiError } from '../../api/status';
import { labelSelectorFromObject } from '../../registry/selectors';
import {
  adoptRevision,
  ownedOrOrphanRevisions,
  revisionsToTrim,
  sortRevisions,
} from '../history/controllerHistory';
import { applyRevision } from '../history/templatePatch';
import { claimObjects } from '../replicaSet/claimObjects';
import { ensureControllerIndexes } from '../replicaSet/controllerIndexes';
import { msUntilAvailable } from '../replicaSet/podState';
import { slowStartBatch } from '../replicaSet/slowStartBatch';
import type { ControllerFactory } from '../runtime/controllerContext';
import { byNamespace } from '../runtime/informer';
import { objectKey, splitKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { type QueueController, queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { claimOwnersFor, claimOwnersUpToDate } from './claimRetention';
import {
  completeRollingUpdate,
  planStatefulSet,
  type StatefulSetStep,
  statusChanged,
} from './statefulSetPlan';
import {
  claimsForOrdinal,
  identityLabels,
  isMemberOf,
  ordinalOf,
  podRevision,
  statefulSetKind,
} from './statefulSetPods';
import { statefulSetRevisions } from './statefulSetRevisions';

export const statefulSetControllerName = 'statefulset-controller';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isAlreadyExists(err: unknown): boolean {
  return isApiError(err) && err.status.reason === 'AlreadyExists';
}

export const statefulSetController: ControllerFactory = (ctx) => {
  const sets = ctx.informers.for(resources.statefulSets);
  const pods = ctx.informers.for(resources.pods);
  const revisions = ctx.informers.for(resources.controllerRevisions);
  const claims = ctx.informers.for(resources.persistentVolumeClaims);
  ensureControllerIndexes(sets);
  ensureControllerIndexes(pods);
  ensureControllerIndexes(revisions);
  const setClient = ctx.client.resource(resources.statefulSets);
  const podClient = ctx.client.resource(resources.pods);
  const revisionClient = ctx.client.resource(resources.controllerRevisions);
  const claimClient = ctx.client.resource(resources.persistentVolumeClaims);
  const recorder = ctx.recorder(statefulSetControllerName);
  const log = ctx.log.child({ controller: 'statefulset' });

  let controller: QueueController;
  const enqueue = (set: V1StatefulSet) => controller.queue.add(objectKey(set));

  function ownerOf(pod: V1Pod): V1StatefulSet | undefined {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'StatefulSet') return undefined;
    const set = sets.get(pod.metadata?.namespace, ref.name);
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  function setsMatching(pod: V1Pod): V1StatefulSet[] {
    return sets.byIndex(byNamespace, pod.metadata?.namespace ?? '').filter((set) => {
      const selector = labelSelectorFromObject(set.spec?.selector);
      return !selector.isEverything() && selector.matches(pod.metadata?.labels);
    });
  }

  function podChanged(pod: V1Pod, old?: V1Pod): void {
    const owner = ownerOf(pod);
    if (owner) enqueue(owner);
    const previous = old && controllerOf(old)?.uid !== controllerOf(pod)?.uid ? ownerOf(old) : undefined;
    if (previous) enqueue(previous);
    if (!controllerOf(pod)) for (const set of setsMatching(pod)) enqueue(set);
  }

  sets.addHandlers({ onAdd: enqueue, onUpdate: (_, set) => enqueue(set), onDelete: enqueue });
  pods.addHandlers({
    onAdd: (pod) => podChanged(pod),
    onUpdate(old, pod) {
      if (old.metadata?.resourceVersion !== pod.metadata?.resourceVersion) podChanged(pod, old);
    },
    onDelete: (pod) => podChanged(pod),
  });

  function claimEvent(set: V1StatefulSet, pod: V1Pod, claim: V1PersistentVolumeClaim, err?: unknown): void {
    const name = claim.metadata?.name;
    if (err === undefined) {
      recorder.event(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${name} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} success`,
      );
    } else {
      recorder.event(
        set,
        'Warning',
        'FailedCreate',
        `create Claim ${name} for Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name} failed error: ${message(err)}`,
      );
    }
  }

  function podEvent(
    verb: 'create' | 'delete' | 'update',
    set: V1StatefulSet,
    pod: V1Pod,
    err?: unknown,
  ): void {
    const title = `${verb[0]?.toUpperCase()}${verb.slice(1)}`;
    const subject = `${verb} Pod ${pod.metadata?.name} in StatefulSet ${set.metadata?.name}`;
    if (err === undefined) recorder.event(set, 'Normal', `Successful${title}`, `${subject} successful`);
    else recorder.event(set, 'Warning', `Failed${title}`, `${subject} failed error: ${message(err)}`);
  }

  /** Creates the pod's claims that do not exist yet (`createPersistentVolumeClaims`). */
  async function ensureClaims(set: V1StatefulSet, pod: V1Pod): Promise<void> {
    for (const claim of claimsForOrdinal(set, ordinalOf(pod))) {
      const meta = claim.metadata ?? {};
      const existing =
        claims.get(meta.namespace, meta.name ?? '') ??
        (await claimClient.get(meta.namespace, meta.name ?? ''));
      if (existing) {
        if (existing.metadata?.deletionTimestamp) throw new Error(`pvc ${meta.name} is being deleted`);
        continue;
      }
      const owners = claimOwnersFor(claim, set, pod);
      if (owners.length > 0) meta.ownerReferences = owners;
      try {
        await claimClient.create(claim);
        claimEvent(set, pod, claim);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        claimEvent(set, pod, claim, err);
        throw new Error(`failed to create PVC ${meta.name}: ${message(err)}`, { cause: err });
      }
    }
  }

  /** Points the pod's existing claims at the owners the retention policy wants. */
  async function updateClaimOwners(set: V1StatefulSet, pod: V1Pod): Promise<void> {
    for (const claim of claimsForOrdinal(set, ordinalOf(pod))) {
      const meta = claim.metadata ?? {};
      const cached = claims.get(meta.namespace, meta.name ?? '');
      if (!cached || claimOwnersUpToDate(cached, set, pod)) continue;
      await claimClient.mutate(meta.namespace, meta.name ?? '', (live) => {
        if (claimOwnersUpToDate(live, set, pod)) return undefined;
        live.metadata = { ...live.metadata, ownerReferences: claimOwnersFor(live, set, pod) };
        return live;
      });
    }
  }

  /** Runs one step; false when the cache proved stale and the sync should stop here. */
  async function runStep(
    step: StatefulSetStep,
    set: V1StatefulSet,
    updateSet: V1StatefulSet,
  ): Promise<boolean> {
    const { pod } = step;
    const meta = pod.metadata ?? {};
    switch (step.kind) {
      case 'createPod': {
        try {
          await ensureClaims(set, pod);
          await podClient.create(pod);
        } catch (err) {
          if (isAlreadyExists(err)) return false;
          podEvent('create', set, pod, err);
          throw err;
        }
        podEvent('create', set, pod);
        return true;
      }
      case 'deletePod': {
        try {
          if (await podClient.delete(meta.namespace, meta.name ?? '')) podEvent('delete', set, pod);
        } catch (err) {
          podEvent('delete', set, pod, err);
          throw err;
        }
        return true;
      }
      case 'createClaims':
        await ensureClaims(set, pod);
        return true;
      case 'updateClaimOwners':
        await updateClaimOwners(updateSet, pod);
        return true;
      case 'updatePod': {
        const labels = identityLabels(set, ordinalOf(pod));
        const changed = Object.entries(labels).some(([k, v]) => meta.labels?.[k] !== v);
        if (changed) {
          try {
            await podClient.mutate(meta.namespace, meta.name ?? '', (live) => {
              live.metadata = { ...live.metadata, labels: { ...live.metadata?.labels, ...labels } };
              return live;
            });
          } catch (err) {
            podEvent('update', set, pod, err);
            throw err;
          }
          podEvent('update', set, pod);
        }
        await ensureClaims(updateSet, pod);
        await updateClaimOwners(updateSet, pod);
        return true;
      }
    }
  }

  async function runSteps(
    steps: StatefulSetStep[],
    set: V1StatefulSet,
    updateSet: V1StatefulSet,
  ): Promise<void> {
    if (set.spec?.podManagementPolicy !== 'Parallel') {
      for (const step of steps) if (!(await runStep(step, set, updateSet))) return;
      return;
    }
    let next = 0;
    const { error } = await slowStartBatch(steps.length, 1, async () => {
      await runStep(steps[next++] as StatefulSetStep, set, updateSet);
    });
    if (error !== undefined) throw error;
  }

  /** The set's revisions, adopting orphans its selector matches. */
  async function claimRevisions(set: V1StatefulSet): Promise<V1ControllerRevision[]> {
    const selector = labelSelectorFromObject(set.spec?.selector);
    const found = ownedOrOrphanRevisions(
      revisions.byIndex(byNamespace, set.metadata?.namespace ?? ''),
      set,
      selector,
    );
    const owned: V1ControllerRevision[] = [];
    for (const revision of found) {
      if (controllerOf(revision)) owned.push(revision);
      else if (!set.metadata?.deletionTimestamp) {
        const adopted = await adoptRevision(revisionClient, set, statefulSetKind, revision);
        if (adopted) owned.push(adopted);
      }
    }
    return owned;
  }

  async function claimPods(set: V1StatefulSet): Promise<V1Pod[]> {
    const meta = set.metadata ?? {};
    const candidates = pods.byIndex(byNamespace, meta.namespace ?? '').filter((p) => isMemberOf(set, p));
    return claimObjects(candidates, {
      owner: set,
      ownerApiVersion: statefulSetKind.apiVersion,
      ownerKind: statefulSetKind.kind,
      selector: labelSelectorFromObject(set.spec?.selector),
      client: podClient,
      getOwner: () => setClient.get(meta.namespace, meta.name ?? ''),
    });
  }

  async function trimHistory(
    set: V1StatefulSet,
    owned: readonly V1ControllerRevision[],
    current: V1ControllerRevision,
    update: V1ControllerRevision,
    claimedPods: readonly V1Pod[],
  ): Promise<void> {
    const live = new Set([
      current.metadata?.name ?? '',
      update.metadata?.name ?? '',
      ...claimedPods.map(podRevision),
    ]);
    const latest = owned.map((r) => (r.metadata?.name === update.metadata?.name ? update : r));
    for (const revision of revisionsToTrim(
      sortRevisions(latest),
      live,
      set.spec?.revisionHistoryLimit ?? 10,
    )) {
      await revisionClient.delete(revision.metadata?.namespace, revision.metadata?.name ?? '');
    }
  }

  async function sync(key: string) {
    const { namespace, name } = splitKey(key);
    const cached = sets.get(namespace, name);
    if (!cached) return;
    const set = structuredClone(cached);
    const owned = await claimRevisions(set);
    const claimedPods = await claimPods(set);
    const { current, update, collisionCount } = await statefulSetRevisions(
      revisionClient,
      set,
      sortRevisions(owned),
    );
    const updateSet = applyRevision(set, update.data);
    const now = ctx.clock.now();
    const plan = planStatefulSet({
      set,
      currentSet: applyRevision(set, current.data),
      updateSet,
      currentRevision: current.metadata?.name ?? '',
      updateRevision: update.metadata?.name ?? '',
      collisionCount,
      pods: claimedPods,
      claim: (claimName) => claims.get(namespace, claimName),
      now,
    });

    let failure: unknown;
    try {
      await runSteps(plan.steps, set, updateSet);
    } catch (err) {
      failure = err;
    }
    const status = completeRollingUpdate(set, plan.status);
    if (statusChanged(set, status)) {
      await setClient.mutate(
        namespace,
        name,
        (live) => {
          if (live.metadata?.uid !== set.metadata?.uid) return undefined;
          live.status = status;
          return live;
        },
        { subresource: 'status' },
      );
    }
    await trimHistory(set, owned, current, update, claimedPods);
    if (failure !== undefined) throw failure;

    const minReady = set.spec?.minReadySeconds ?? 0;
    const waits = claimedPods
      .map((pod) => msUntilAvailable(pod, minReady, now))
      .filter((ms): ms is number => ms !== undefined && ms > 0);
    if (waits.length > 0) return { requeueAfterMs: Math.min(...waits) };
    log.debug('statefulset synced', { key, steps: plan.steps.length });
    return undefined;
  }

  controller = queueController({ name: statefulSetControllerName, reconcile: sync, log });
  return controller;
};
