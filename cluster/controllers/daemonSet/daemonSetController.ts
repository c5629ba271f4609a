// The DaemonSet controller, as Kubernetes' daemon controller: each sync claims the DaemonSet's
// revisions and pods, settles the current revision, creates a pod pinned to every eligible node
// that lacks one and deletes pods that no longer belong (placement), then rolls out the current
// revision (RollingUpdate; OnDelete waits for deletions), trims history and writes status.
// Expectations keep a sync that runs before the cache has caught up from acting twice.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller.go

import { isDeepStrictEqual } from 'node:util';
import type {
  V1ControllerRevision,
  V1DaemonSet,
  V1DaemonSetStatus,
  V1Node,
  V1Pod,
} from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import { adoptRevision, ownedOrOrphanRevisions } from '../history/controllerHistory';
import { claimObjects } from '../replicaSet/claimObjects';
import { ControllerExpectations } from '../replicaSet/controllerExpectations';
import { byControllerUid, ensureControllerIndexes } from '../replicaSet/controllerIndexes';
import { slowStartBatch } from '../replicaSet/slowStartBatch';
import type { ControllerFactory } from '../runtime/controllerContext';
import { byNamespace } from '../runtime/informer';
import { objectKey, splitKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { type QueueController, queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { daemonSetKind, newDaemonPod, targetNodeName } from './daemonPods';
import { constructHistory, historyToTrim } from './daemonSetHistory';
import { daemonSetStatus, placement, rollingUpdate } from './daemonSetPlan';

export const daemonSetControllerName = 'daemonset-controller';

/** Most pods created or deleted in one sync (Kubernetes' BurstReplicas). */
const burstReplicas = 250;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function nodeChanged(old: V1Node, node: V1Node): boolean {
  const conditions = (n: V1Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort();
  return (
    !isDeepStrictEqual(old.metadata?.labels ?? {}, node.metadata?.labels ?? {}) ||
    !isDeepStrictEqual(old.spec ?? {}, node.spec ?? {}) ||
    !isDeepStrictEqual(conditions(old), conditions(node))
  );
}

export const daemonSetController: ControllerFactory = (ctx) => {
  const daemonSets = ctx.informers.for(resources.daemonSets);
  const pods = ctx.informers.for(resources.pods);
  const revisions = ctx.informers.for(resources.controllerRevisions);
  const nodes = ctx.informers.for(resources.nodes);
  ensureControllerIndexes(daemonSets);
  ensureControllerIndexes(pods);
  ensureControllerIndexes(revisions);
  const dsClient = ctx.client.resource(resources.daemonSets);
  const podClient = ctx.client.resource(resources.pods);
  const revisionClient = ctx.client.resource(resources.controllerRevisions);
  const recorder = ctx.recorder(daemonSetControllerName);
  // Kept apart so one sync can expect both creations and deletions.
  const creations = new ControllerExpectations(ctx.clock);
  const deletions = new ControllerExpectations(ctx.clock);
  const log = ctx.log.child({ controller: 'daemonset' });

  let controller: QueueController;
  const enqueue = (ds: V1DaemonSet) => controller.queue.add(objectKey(ds));
  const enqueueAll = () => {
    for (const ds of daemonSets.list()) enqueue(ds);
  };
  const satisfied = (key: string) => creations.satisfied(key) && deletions.satisfied(key);

  function ownerOf(obj: V1Pod | V1ControllerRevision): V1DaemonSet | undefined {
    const ref = controllerOf(obj);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = daemonSets.get(obj.metadata?.namespace, ref.name);
    return ds?.metadata?.uid === ref.uid ? ds : undefined;
  }

  function matching(obj: V1Pod | V1ControllerRevision): V1DaemonSet[] {
    return daemonSets.byIndex(byNamespace, obj.metadata?.namespace ?? '').filter((ds) => {
      const selector = labelSelectorFromObject(ds.spec?.selector);
      return !selector.isEverything() && selector.matches(obj.metadata?.labels);
    });
  }

  function podGone(pod: V1Pod): void {
    const ds = ownerOf(pod);
    if (!ds) return;
    deletions.deletionObserved(objectKey(ds), objectKey(pod));
    enqueue(ds);
  }

  daemonSets.addHandlers({
    onAdd: enqueue,
    onUpdate: (_, ds) => enqueue(ds),
    onDelete(ds) {
      creations.delete(objectKey(ds));
      deletions.delete(objectKey(ds));
    },
  });
  pods.addHandlers({
    onAdd(pod) {
      if (pod.metadata?.deletionTimestamp) return podGone(pod);
      const ds = ownerOf(pod);
      if (ds) {
        creations.creationObserved(objectKey(ds));
        enqueue(ds);
      } else if (!controllerOf(pod)) for (const match of matching(pod)) enqueue(match);
    },
    onUpdate(old, pod) {
      if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
      if (pod.metadata?.deletionTimestamp) return podGone(pod);
      if (controllerOf(old)?.uid !== controllerOf(pod)?.uid) {
        const previous = ownerOf(old);
        if (previous) enqueue(previous);
      }
      const ds = ownerOf(pod);
      if (ds) enqueue(ds);
      else if (!controllerOf(pod)) for (const match of matching(pod)) enqueue(match);
    },
    onDelete: podGone,
  });
  const revisionChanged = (revision: V1ControllerRevision) => {
    const ds = ownerOf(revision);
    if (ds) enqueue(ds);
    else if (!controllerOf(revision)) for (const match of matching(revision)) enqueue(match);
  };
  revisions.addHandlers({
    onAdd: revisionChanged,
    onUpdate: (_, r) => revisionChanged(r),
    onDelete: revisionChanged,
  });
  nodes.addHandlers({
    onAdd: enqueueAll,
    onUpdate: (old, node) => {
      if (nodeChanged(old, node)) enqueueAll();
    },
    onDelete: enqueueAll,
  });

  async function claimRevisions(ds: V1DaemonSet): Promise<V1ControllerRevision[]> {
    const selector = labelSelectorFromObject(ds.spec?.selector);
    const owned: V1ControllerRevision[] = [];
    for (const revision of ownedOrOrphanRevisions(
      revisions.byIndex(byNamespace, ds.metadata?.namespace ?? ''),
      ds,
      selector,
    )) {
      if (controllerOf(revision)) owned.push(revision);
      else {
        const adopted = await adoptRevision(revisionClient, ds, daemonSetKind, revision);
        if (adopted) owned.push(adopted);
      }
    }
    return owned;
  }

  async function claimPods(ds: V1DaemonSet): Promise<V1Pod[]> {
    const meta = ds.metadata ?? {};
    return claimObjects(pods.byIndex(byNamespace, meta.namespace ?? ''), {
      owner: ds,
      ownerApiVersion: daemonSetKind.apiVersion,
      ownerKind: daemonSetKind.kind,
      selector: labelSelectorFromObject(ds.spec?.selector),
      client: podClient,
      getOwner: () => dsClient.get(meta.namespace, meta.name ?? ''),
    });
  }

  /** The DaemonSet's pods as the cache has them now. */
  function ownedPods(ds: V1DaemonSet): V1Pod[] {
    return pods.byIndex(byControllerUid, ds.metadata?.uid ?? '');
  }

  /** `getNodesToDaemonPods`: finished pods already being deleted do not count. */
  function byNode(dsPods: readonly V1Pod[]): Map<string, V1Pod[]> {
    const map = new Map<string, V1Pod[]>();
    for (const pod of dsPods) {
      const phase = pod.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && pod.metadata?.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (!node) continue;
      map.set(node, [...(map.get(node) ?? []), pod]);
    }
    return map;
  }

  /** `syncNodes`: creates pods for nodes and deletes pods, in slow-start batches. */
  async function syncNodes(key: string, ds: V1DaemonSet, create: string[], remove: V1Pod[], hash: string) {
    const nodesToCreate = create.slice(0, burstReplicas);
    const podsToDelete = remove.slice(0, burstReplicas);
    creations.expectCreations(key, nodesToCreate.length);
    deletions.expectDeletions(
      key,
      podsToDelete.map((p) => objectKey(p)),
    );
    const errors: unknown[] = [];
    let next = 0;
    const { successes, error } = await slowStartBatch(nodesToCreate.length, 1, async () => {
      const node = nodesToCreate[next++] as string;
      try {
        const created = await podClient.create(newDaemonPod(ds, node, hash));
        recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
      } catch (err) {
        creations.creationObserved(key);
        recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
        throw err;
      }
    });
    if (error !== undefined) {
      errors.push(error);
      // Pods never attempted will never be seen either.
      for (let i = successes + 1; i < nodesToCreate.length; i++) creations.creationObserved(key);
    }
    await Promise.all(
      podsToDelete.map(async (pod) => {
        const meta = pod.metadata ?? {};
        try {
          const deleted = await podClient.delete(meta.namespace, meta.name ?? '');
          if (deleted) recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${meta.name}`);
          else deletions.deletionObserved(key, objectKey(pod));
        } catch (err) {
          deletions.deletionObserved(key, objectKey(pod));
          recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
          errors.push(err);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  async function writeStatus(ds: V1DaemonSet, status: V1DaemonSetStatus): Promise<void> {
    const old = ds.status ?? {};
    const merged = { ...old, ...status };
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(old)), JSON.parse(JSON.stringify(merged)))) return;
    await dsClient.mutate(
      ds.metadata?.namespace,
      ds.metadata?.name ?? '',
      (live) => {
        if (live.metadata?.uid !== ds.metadata?.uid) return undefined;
        live.status = { ...live.status, ...status };
        return live;
      },
      { subresource: 'status' },
    );
  }

  async function sync(key: string) {
    const { namespace, name } = splitKey(key);
    const cached = daemonSets.get(namespace, name);
    if (!cached) {
      creations.delete(key);
      deletions.delete(key);
      return undefined;
    }
    const ds = structuredClone(cached);
    if (labelSelectorFromObject(ds.spec?.selector).isEverything()) {
      recorder.event(
        ds,
        'Warning',
        'SelectingAll',
        'This daemon set is selecting all pods. A non-empty selector is required.',
      );
      return undefined;
    }
    // While being deleted, its revisions may be gone already: do nothing (as Kubernetes).
    if (ds.metadata?.deletionTimestamp) return undefined;

    const nodeList = nodes.list();
    const owned = await claimRevisions(ds);
    let dsPods = await claimPods(ds);
    const history = await constructHistory(revisionClient, podClient, ds, owned, dsPods);
    const { hash } = history;
    const now = ctx.clock.now();
    const observe = satisfied(key);
    let failure: unknown;
    if (observe) {
      try {
        const actions = placement(ds, nodeList, byNode(dsPods), hash, now);
        for (const pod of actions.failed) {
          recorder.event(
            ds,
            'Warning',
            'FailedDaemonPod',
            `Found failed daemon pod ${pod.metadata?.namespace}/${pod.metadata?.name} on node ${pod.spec?.nodeName}, will try to kill it`,
          );
        }
        const placed = actions.create.length === 0 && actions.delete.length === 0;
        if (!placed) await syncNodes(key, ds, actions.create, actions.delete, hash);
        // The rollout goes on only from a settled placement, as Kubernetes' expectations ensure.
        else if (ds.spec?.updateStrategy?.type !== 'OnDelete') {
          const rollout = rollingUpdate(ds, nodeList, byNode(dsPods), hash, now);
          await syncNodes(key, ds, rollout.create, rollout.delete, hash);
        }
        for (const revision of historyToTrim(
          history.old,
          ownedPods(ds),
          ds.spec?.revisionHistoryLimit ?? 10,
        )) {
          await revisionClient.delete(revision.metadata?.namespace, revision.metadata?.name ?? '');
        }
      } catch (err) {
        failure = err;
      }
      dsPods = ownedPods(ds);
    }

    const status = daemonSetStatus(ds, nodeList, byNode(dsPods), hash, now);
    await writeStatus(ds, {
      ...status,
      // Only a sync that acted on this generation may claim to have observed it.
      observedGeneration: observe ? ds.metadata?.generation : ds.status?.observedGeneration,
      collisionCount: history.collisionCount,
    });
    if (failure !== undefined) throw failure;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable)
      return { requeueAfterMs: minReady * 1000 };
    log.debug('daemonset synced', { key });
    return undefined;
  }

  controller = queueController({ name: daemonSetControllerName, reconcile: sync, log });
  return controller;
};
