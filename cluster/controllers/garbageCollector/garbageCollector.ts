// The garbage collector, as kube-controller-manager's: it watches every stored resource (events
// excepted, as Kubernetes' default ignored resources), keeps a graph of owner references, and
// - Background: deletes objects whose owners are all gone (dangling references count as gone);
// - Foreground: for an owner carrying `foregroundDeletion`, deletes its dependents, waits for those
//   whose reference has blockOwnerDeletion, then removes the finalizer;
// - Orphan: for an owner carrying `orphan`, strips its reference from the dependents, then removes
//   the finalizer.
// https://kubernetes.io/docs/concepts/architecture/garbage-collection/
//
// One queue carries two kinds of keys: `delete/<uid>` (attempt to delete, or finish Foreground
// deletion) and `orphan/<uid>`.

import type { V1DeleteOptions } from '@kubernetes/client-node';
import { storedResources } from '../../api/lifecycle/storedResources';
import { foregroundFinalizer, orphanFinalizer } from '../../api/rest/deleteObject';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';
import type { ApiObject } from '../runtime/apiObject';
import type { ResourceClient } from '../runtime/clusterClient';
import type { ControllerFactory } from '../runtime/controllerContext';
import { queueController } from '../runtime/queueController';
import { OwnerClassifier } from './ownerClassifier';
import { type GraphNode, graphNode, OwnerGraph } from './ownerGraph';

type Propagation = 'Background' | 'Foreground' | 'Orphan';

/** Concurrent writes when orphaning many dependents at once. */
const orphanConcurrency = 16;

const ignoredResources = new Set(['/events', 'events.k8s.io/events']);

/** Resources the collector watches: listable, watchable and deletable, one per storage location. */
function collectedResources(catalog: ResourceCatalog): ResourceInfo[] {
  return storedResources(catalog).filter(
    (r) =>
      !ignoredResources.has(`${r.group}/${r.plural}`) &&
      r.verbs.includes('watch') &&
      r.verbs.includes('delete'),
  );
}

async function forEachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export const garbageCollectorController: ControllerFactory = (ctx) => {
  const graph = new OwnerGraph();
  const classifier = new OwnerClassifier(graph, ctx.client);
  const clients = new Map<ResourceInfo, ResourceClient<ApiObject>>();
  let synced = false;

  const controller = queueController({
    name: 'garbagecollector',
    log: ctx.log,
    workers: 4,
    reconcile: async (key) => {
      const slash = key.indexOf('/');
      const uid = key.slice(slash + 1);
      if (key.slice(0, slash) === 'orphan') await attemptToOrphan(uid);
      else await attemptToDelete(uid);
    },
  });
  const enqueueDelete = (uid: string) => controller.queue.add(`delete/${uid}`);
  const enqueueOrphan = (uid: string) => controller.queue.add(`orphan/${uid}`);

  function clientFor(info: ResourceInfo): ResourceClient<ApiObject> {
    let client = clients.get(info);
    if (!client) {
      client = ctx.client.resource<ApiObject>({
        group: info.group,
        version: info.version,
        plural: info.plural,
      });
      clients.set(info, client);
    }
    return client;
  }

  function ownerKnown(dependent: GraphNode, ownerUid: string): GraphNode | undefined {
    const owner = graph.get(ownerUid);
    return owner && (!owner.namespace || owner.namespace === dependent.namespace) ? owner : undefined;
  }

  /** Queues whatever work the node's own state calls for; level-based, so safe to repeat. */
  function enqueueIfActionable(node: GraphNode): void {
    if (node.orphaningDependents) enqueueOrphan(node.uid);
    if (node.deletingDependents) {
      enqueueDelete(node.uid);
      return;
    }
    if (node.beingDeleted) return;
    const needsCheck = node.owners.some((ref) => {
      const owner = ownerKnown(node, ref.uid);
      return !owner || owner.deletingDependents;
    });
    if (needsCheck) enqueueDelete(node.uid);
  }

  function observe(info: ResourceInfo, obj: ApiObject): void {
    const node = graphNode(info, obj);
    if (!node) return;
    const { previous, removed } = graph.upsert(node);
    if (!synced) return;
    enqueueIfActionable(node);
    if (node.deletingDependents && !previous?.deletingDependents) {
      for (const dep of graph.dependents(node.uid)) enqueueDelete(dep.uid);
    }
    // An owner in Foreground deletion may have been waiting on the reference just dropped.
    for (const ref of removed) {
      if (graph.get(ref.uid)?.deletingDependents) enqueueDelete(ref.uid);
    }
  }

  function forget(obj: ApiObject): void {
    const uid = obj.metadata?.uid;
    const node = uid ? graph.remove(uid) : undefined;
    if (!node) return;
    classifier.markAbsent(node.namespace, node.uid);
    if (!synced) return;
    for (const dep of graph.dependents(node.uid)) enqueueDelete(dep.uid);
    for (const ref of node.owners) {
      if (graph.get(ref.uid)?.deletingDependents) enqueueDelete(ref.uid);
    }
  }

  async function attemptToDelete(uid: string): Promise<void> {
    const node = graph.get(uid);
    if (!node) return;
    if (node.deletingDependents) return finishForegroundDeletion(node);
    if (node.beingDeleted || node.owners.length === 0) return;
    const latest = await clientFor(node.resource).get(node.namespace, node.name);
    // Gone or replaced by a namesake: the informer will report it.
    if (latest?.metadata?.uid !== uid) return;
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const { solid, dangling, waiting } = await classifier.classify(node, refs);
    if (solid.length > 0) {
      // Kept by a live owner; references to gone or Foreground-deleting owners must go, or those
      // owners would wait on this object forever.
      const stale = new Set([...dangling, ...waiting].map((r) => r.uid));
      if (stale.size > 0) await stripOwnerReferences(node, stale);
      return;
    }
    const dependents = graph.dependents(uid);
    if (waiting.length > 0 && dependents.length > 0) {
      // Its owner waits in Foreground, so it goes in Foreground too: its own dependents first.
      // A dependent already doing the same could wait on us in a cycle; stop blocking our owners.
      let current = latest;
      if (dependents.some((dep) => dep.deletingDependents)) {
        current = (await unblockOwnerReferences(node)) ?? latest;
      }
      await deleteNode(node, current, 'Foreground');
      return;
    }
    const finalizers = latest.metadata.finalizers ?? [];
    const policy: Propagation = finalizers.includes(orphanFinalizer)
      ? 'Orphan'
      : finalizers.includes(foregroundFinalizer)
        ? 'Foreground'
        : 'Background';
    await deleteNode(node, latest, policy);
  }

  async function finishForegroundDeletion(owner: GraphNode): Promise<void> {
    const blocking = graph.blockingDependents(owner.uid);
    if (blocking.length > 0) {
      for (const dep of blocking) if (!dep.beingDeleted) enqueueDelete(dep.uid);
      return;
    }
    // Dependents that do not block are still deleted before the owner goes (the owner does not
    // wait for them to finish terminating), so "dependents first" holds for them too.
    for (const dep of graph.dependents(owner.uid)) if (!dep.beingDeleted) await attemptToDelete(dep.uid);
    await removeFinalizer(owner, foregroundFinalizer);
  }

  async function attemptToOrphan(uid: string): Promise<void> {
    const owner = graph.get(uid);
    if (!owner?.orphaningDependents) return;
    const only = new Set([uid]);
    await forEachLimited(graph.dependents(uid), orphanConcurrency, (dep) => stripOwnerReferences(dep, only));
    await removeFinalizer(owner, orphanFinalizer);
  }

  async function deleteNode(node: GraphNode, latest: ApiObject, policy: Propagation): Promise<void> {
    // Preconditions: never delete a namesake, nor an object re-owned since it was classified.
    const options: V1DeleteOptions = {
      propagationPolicy: policy,
      preconditions: { uid: node.uid, resourceVersion: latest.metadata?.resourceVersion },
    };
    await clientFor(node.resource).delete(node.namespace, node.name, options);
  }

  async function stripOwnerReferences(node: GraphNode, uids: ReadonlySet<string>): Promise<void> {
    await clientFor(node.resource).mutate(node.namespace, node.name, (live) => {
      const meta = live.metadata;
      const refs = meta?.ownerReferences ?? [];
      const kept = refs.filter((r) => !uids.has(r.uid));
      if (!meta || meta.uid !== node.uid || kept.length === refs.length) return undefined;
      if (kept.length > 0) meta.ownerReferences = kept;
      else delete meta.ownerReferences;
      return live;
    });
  }

  async function unblockOwnerReferences(node: GraphNode): Promise<ApiObject | undefined> {
    return clientFor(node.resource).mutate(node.namespace, node.name, (live) => {
      const refs = live.metadata?.ownerReferences ?? [];
      if (live.metadata?.uid !== node.uid || !refs.some((r) => r.blockOwnerDeletion)) return undefined;
      for (const ref of refs) if (ref.blockOwnerDeletion) ref.blockOwnerDeletion = false;
      return live;
    });
  }

  async function removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await clientFor(node.resource).mutate(node.namespace, node.name, (live) => {
      const meta = live.metadata;
      if (!meta || meta.uid !== node.uid || !(meta.finalizers ?? []).includes(finalizer)) return undefined;
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
      return live;
    });
  }

  for (const info of collectedResources(ctx.client.rest.catalog)) {
    ctx.informers
      .for<ApiObject>({ group: info.group, version: info.version, plural: info.plural })
      .addHandlers({
        onAdd: (obj) => observe(info, obj),
        onUpdate: (_old, obj) => observe(info, obj),
        onDelete: (obj) => forget(obj),
      });
  }

  return {
    name: controller.name,
    run() {
      // Every informer has listed: the graph is whole, so absent owners now mean gone owners.
      synced = true;
      for (const node of graph.all()) enqueueIfActionable(node);
      controller.run();
    },
    stop() {
      controller.stop();
    },
  };
};
