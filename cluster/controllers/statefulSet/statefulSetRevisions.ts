// The current and update ControllerRevisions of a StatefulSet (`getStatefulSetRevisions`): the
// update revision is the set's template as a revision — the newest one if equal, an older equal
// one renumbered to the newest (a rollback), or a new one; the current revision is the one the
// status names, or the update revision for a new set.

import type { V1ControllerRevision, V1StatefulSet } from '@kubernetes/client-node';
import {
  buildRevision,
  createRevision,
  equalRevision,
  findEqualRevisions,
  nextRevision,
  type RevisionSpec,
  renumberRevision,
  revisionHashLabel,
} from '../history/controllerHistory';
import { templatePatch } from '../history/templatePatch';
import type { ResourceClient } from '../runtime/clusterClient';
import { statefulSetKind } from './statefulSetPods';

export interface StatefulSetRevisions {
  current: V1ControllerRevision;
  update: V1ControllerRevision;
  collisionCount: number;
}

/** The revision the set's template makes, with the set's annotations (`newRevision`). */
function revisionSpecFor(set: V1StatefulSet, revision: number): RevisionSpec {
  return {
    labels: { ...set.spec?.template?.metadata?.labels },
    annotations: { ...set.metadata?.annotations },
    data: templatePatch(set),
    revision,
    hashLabel: revisionHashLabel,
  };
}

export async function statefulSetRevisions(
  client: ResourceClient<V1ControllerRevision>,
  set: V1StatefulSet,
  sorted: readonly V1ControllerRevision[],
): Promise<StatefulSetRevisions> {
  let collisionCount = set.status?.collisionCount ?? 0;
  const spec = revisionSpecFor(set, nextRevision(sorted));
  const candidate = buildRevision(set, statefulSetKind, spec, collisionCount);
  const equal = findEqualRevisions(sorted, candidate);
  const latest = sorted.at(-1);
  const newestEqual = equal.at(-1);
  let update: V1ControllerRevision;
  if (latest && newestEqual && equalRevision(latest, newestEqual)) {
    update = latest;
  } else if (newestEqual) {
    update = await renumberRevision(client, newestEqual, spec.revision);
  } else {
    const created = await createRevision(client, set, statefulSetKind, spec, collisionCount);
    update = created.revision;
    collisionCount = created.collisionCount;
  }
  const current = sorted.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}
