// The Deployment controller, as Kubernetes' deployment controller: watches Deployments, their
// ReplicaSets and (for Recreate) their pods; each sync claims the ReplicaSets the selector matches,
// then — in Kubernetes' order — keeps status only while the Deployment is being deleted, notes
// pause and resume in the Progressing condition, scales proportionally when paused or resized,
// and otherwise rolls out with the Deployment's strategy.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/deployment_controller.go

import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../../registry/selectors';
import { claimObjects } from '../replicaSet/claimObjects';
import { byControllerUid, claimCandidates, ensureControllerIndexes } from '../replicaSet/controllerIndexes';
import type { ApiObject } from '../runtime/apiObject';
import type { ControllerFactory } from '../runtime/controllerContext';
import { byNamespace } from '../runtime/informer';
import { objectKey } from '../runtime/objectKey';
import { controllerOf } from '../runtime/ownerReferences';
import { type QueueController, queueController } from '../runtime/queueController';
import { resources } from '../runtime/resources';
import { DeploymentSync } from './deploymentSync';
import {
  type PodsByReplicaSet,
  rolloutRecreate,
  rolloutRolling,
  syncScale,
  syncStatusOnly,
} from './rollouts';

export const deploymentControllerName = 'deployment-controller';

export interface DeploymentControllerOptions {
  /** Deployments synced at once; Kubernetes' default is 5. */
  workers?: number;
}

export function createDeploymentController(options: DeploymentControllerOptions = {}): ControllerFactory {
  return (ctx) => {
    const deployments = ctx.informers.for(resources.deployments);
    const replicaSets = ctx.informers.for(resources.replicaSets);
    const pods = ctx.informers.for(resources.pods);
    ensureControllerIndexes(deployments);
    ensureControllerIndexes(replicaSets);
    ensureControllerIndexes(pods);
    const deploymentClient = ctx.client.resource(resources.deployments);
    const rsClient = ctx.client.resource(resources.replicaSets);
    const recorder = ctx.recorder(deploymentControllerName);
    const log = ctx.log.child({ controller: 'deployment' });

    let controller: QueueController;
    const enqueue = (d: V1Deployment) => controller.queue.add(objectKey(d));

    /** The Deployment a controller reference names, if it is the one cached. */
    function resolve(obj: ApiObject): V1Deployment | undefined {
      const ref = controllerOf(obj);
      if (ref?.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
      const d = deployments.get(obj.metadata?.namespace, ref.name);
      return d?.metadata?.uid === ref.uid ? d : undefined;
    }

    /** Deployments whose (non-empty) selector matches an orphan ReplicaSet. */
    function matchingDeployments(rs: V1ReplicaSet): V1Deployment[] {
      return deployments.byIndex(byNamespace, rs.metadata?.namespace ?? '').filter((d) => {
        const selector = labelSelectorFromObject(d.spec?.selector);
        return !selector.isEverything() && selector.matches(rs.metadata?.labels);
      });
    }

    function enqueueOwner(obj: ApiObject): void {
      const d = resolve(obj);
      if (d) enqueue(d);
    }

    deployments.addHandlers({ onAdd: enqueue, onUpdate: (_old, d) => enqueue(d), onDelete: enqueue });

    replicaSets.addHandlers({
      onAdd(rs) {
        if (controllerOf(rs)) enqueueOwner(rs);
        else if (!rs.metadata?.deletionTimestamp) for (const d of matchingDeployments(rs)) enqueue(d);
      },
      onUpdate(old, rs) {
        if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
        const oldRef = controllerOf(old);
        const ref = controllerOf(rs);
        const refChanged = oldRef?.uid !== ref?.uid;
        if (refChanged && oldRef) enqueueOwner(old);
        if (ref) {
          enqueueOwner(rs);
          return;
        }
        const labelsChanged =
          JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(rs.metadata?.labels ?? {});
        if (labelsChanged || refChanged) for (const d of matchingDeployments(rs)) enqueue(d);
      },
      onDelete: enqueueOwner,
    });

    // Recreate waits for old pods to be gone, and only a pod's deletion says so.
    pods.addHandlers({
      onDelete(pod) {
        const ref = controllerOf(pod);
        if (ref?.kind !== 'ReplicaSet') return;
        const rs = replicaSets.get(pod.metadata?.namespace, ref.name);
        if (!rs || rs.metadata?.uid !== ref.uid) return;
        const d = resolve(rs);
        if (d?.spec?.strategy?.type === 'Recreate') enqueue(d);
      },
    });

    async function replicaSetsFor(d: V1Deployment): Promise<V1ReplicaSet[]> {
      const meta = d.metadata ?? {};
      return claimObjects(claimCandidates(replicaSets, d), {
        owner: d,
        ownerApiVersion: 'apps/v1',
        ownerKind: 'Deployment',
        selector: labelSelectorFromObject(d.spec?.selector),
        client: rsClient,
        getOwner: () => deploymentClient.get(meta.namespace, meta.name ?? ''),
      });
    }

    function podsFor(d: V1Deployment, rsList: readonly V1ReplicaSet[]): PodsByReplicaSet {
      const selector = labelSelectorFromObject(d.spec?.selector);
      const out: PodsByReplicaSet = new Map();
      for (const rs of rsList) {
        const uid = rs.metadata?.uid ?? '';
        const owned: V1Pod[] = pods
          .byIndex(byControllerUid, uid)
          .filter((p) => selector.matches(p.metadata?.labels));
        out.set(uid, owned);
      }
      return out;
    }

    async function reconcile(key: string) {
      const cached = deployments.getByKey(key);
      if (!cached) return undefined;
      const d = structuredClone(cached);
      const rsList = await replicaSetsFor(d);
      const sync = new DeploymentSync(
        { deployments: deploymentClient, replicaSets: rsClient, recorder, clock: ctx.clock },
        d,
      );
      if (d.metadata?.deletionTimestamp) {
        await syncStatusOnly(sync, rsList);
      } else {
        await sync.checkPausedConditions();
        if (d.spec?.paused || (await sync.isScalingEvent(rsList))) await syncScale(sync, rsList);
        else if (d.spec?.strategy?.type === 'Recreate')
          await rolloutRecreate(sync, rsList, podsFor(d, rsList));
        else await rolloutRolling(sync, rsList);
      }
      return sync.requeueAfterMs === undefined ? undefined : { requeueAfterMs: sync.requeueAfterMs };
    }

    controller = queueController({ name: 'deployment', reconcile, log, workers: options.workers ?? 5 });
    return controller;
  };
}

export const deploymentController: ControllerFactory = createDeploymentController();
