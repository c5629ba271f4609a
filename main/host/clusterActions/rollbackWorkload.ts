import {
  PatchStrategy,
  type V1ControllerRevision,
  type V1DaemonSet,
  type V1LabelSelector,
  type V1ObjectMeta,
  type V1PodTemplateSpec,
  type V1ReplicaSet,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { toPlain } from '../../../cluster/compose/deploy/kubeClient';
import { labelSelectorFromObject } from '../../../cluster/registry/selectors/labelSelector';
import type { RevisionView, RollbackRequest, RollbackResult, WorkloadRef } from './clusterActionsContract';
import { type KubeApis, patchAs } from './kubeApis';
import {
  controllerRevisionHistory,
  type HistoryEntry,
  RollbackError,
  replicaSetHistory,
  revisionViews,
  rollbackAnnotations,
  sameTemplate,
  selectRevision,
  withoutHash,
} from './rolloutHistory';

// `kubectl rollout history` and `kubectl rollout undo --to-revision`, through the API server:
// history read from the workload's own ReplicaSets or ControllerRevisions (selected by its selector,
// kept when it is their controller), and the chosen template written back the way kubectl does.

interface Owned {
  metadata?: V1ObjectMeta;
}

const controlledBy = (uid: string | undefined) => (obj: Owned) =>
  Boolean(uid) && (obj.metadata?.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === uid);

const selectorOf = (selector: V1LabelSelector | undefined) => labelSelectorFromObject(selector).toString();

interface Workload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  metadata: V1ObjectMeta;
  template: V1PodTemplateSpec;
  paused: boolean;
  history: HistoryEntry<V1ReplicaSet>[] | HistoryEntry<V1ControllerRevision>[];
}

async function readWorkload(apis: KubeApis, ref: WorkloadRef): Promise<Workload> {
  const { namespace } = ref;
  if (ref.resource === 'deployments') {
    const deployment = toPlain(await apis.apps.readNamespacedDeployment(ref));
    const labelSelector = selectorOf(deployment.spec?.selector);
    const sets = await apis.apps.listNamespacedReplicaSet({ namespace, labelSelector });
    return {
      kind: 'Deployment',
      metadata: deployment.metadata ?? {},
      template: deployment.spec?.template ?? {},
      paused: Boolean(deployment.spec?.paused),
      history: replicaSetHistory(toPlain(sets.items).filter(controlledBy(deployment.metadata?.uid))),
    };
  }
  const owner: V1StatefulSet | V1DaemonSet = toPlain(
    ref.resource === 'statefulsets'
      ? await apis.apps.readNamespacedStatefulSet(ref)
      : await apis.apps.readNamespacedDaemonSet(ref),
  );
  const labelSelector = selectorOf(owner.spec?.selector);
  const revisions = await apis.apps.listNamespacedControllerRevision({ namespace, labelSelector });
  return {
    kind: ref.resource === 'statefulsets' ? 'StatefulSet' : 'DaemonSet',
    metadata: owner.metadata ?? {},
    template: owner.spec?.template ?? {},
    paused: false,
    history: controllerRevisionHistory(toPlain(revisions.items).filter(controlledBy(owner.metadata?.uid))),
  };
}

export async function rolloutHistory(apis: KubeApis, ref: WorkloadRef): Promise<RevisionView[]> {
  const workload = await readWorkload(apis, ref);
  return revisionViews<V1ReplicaSet | V1ControllerRevision>(workload.history, workload.template);
}

export async function rollbackWorkload(apis: KubeApis, request: RollbackRequest): Promise<RollbackResult> {
  const workload = await readWorkload(apis, request);
  if (workload.paused) {
    throw new RollbackError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  }
  const chosen = selectRevision<V1ReplicaSet | V1ControllerRevision>(
    workload.history,
    request.revision,
    workload.kind,
    request.name,
  );
  if (sameTemplate(chosen.template, workload.template)) {
    return {
      revision: chosen.revision,
      skipped: true,
      message: `skipped rollback (current template already matches revision ${chosen.revision})`,
    };
  }
  const params = { name: request.name, namespace: request.namespace };
  if (workload.kind === 'Deployment') {
    // kubectl's JSON patch. No resourceVersion test: the controller writes status all through a
    // rollout, so such a guard would fail on the very rollouts people want to undo.
    const body = [
      { op: 'replace', path: '/spec/template', value: withoutHash(chosen.template) },
      {
        op: 'replace',
        path: '/metadata/annotations',
        value: rollbackAnnotations(workload.metadata.annotations, chosen.source.metadata?.annotations),
      },
    ];
    await apis.apps.patchNamespacedDeployment({ ...params, body }, patchAs(PatchStrategy.JsonPatch));
  } else {
    // The revision's data is the strategic merge patch that restores its template.
    const body = (chosen.source as V1ControllerRevision).data;
    const options = patchAs(PatchStrategy.StrategicMergePatch);
    if (workload.kind === 'StatefulSet')
      await apis.apps.patchNamespacedStatefulSet({ ...params, body }, options);
    else await apis.apps.patchNamespacedDaemonSet({ ...params, body }, options);
  }
  return { revision: chosen.revision, skipped: false, message: `rolled back to revision ${chosen.revision}` };
}
