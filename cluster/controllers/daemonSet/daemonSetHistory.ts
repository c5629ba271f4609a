// A DaemonSet's ControllerRevisions, as Kubernetes' daemon controller keeps them: the revision
// whose data is the current template is "current" (created if missing, renumbered to the newest
// on a rollback, duplicates merged), the rest are "old" and trimmed to revisionHistoryLimit,
// oldest first, sparing any a pod still runs.
// https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/update.go

import type { V1ControllerRevision, V1DaemonSet, V1Pod } from '@kubernetes/client-node';
import {
  buildRevision,
  createRevision,
  findEqualRevisions,
  type RevisionSpec,
  renumberRevision,
  sortRevisions,
} from '../history/controllerHistory';
import { templatePatch } from '../history/templatePatch';
import type { ResourceClient } from '../runtime/clusterClient';
import { daemonRevisionLabel, daemonSetKind } from './daemonPods';

export interface DaemonSetHistory {
  current: V1ControllerRevision;
  /** The hash daemon pods of the current revision are labelled with. */
  hash: string;
  old: V1ControllerRevision[];
  collisionCount: number;
}

function revisionSpecFor(ds: V1DaemonSet, revision: number): RevisionSpec {
  return {
    labels: { ...ds.spec?.template?.metadata?.labels },
    annotations: { ...ds.metadata?.annotations },
    data: templatePatch(ds),
    revision,
    hashLabel: daemonRevisionLabel,
  };
}

export function revisionHash(revision: V1ControllerRevision): string {
  return revision.metadata?.labels?.[daemonRevisionLabel] ?? revision.metadata?.name ?? '';
}

/** `constructHistory` over the revisions the DaemonSet controls. */
export async function constructHistory(
  client: ResourceClient<V1ControllerRevision>,
  pods: ResourceClient<V1Pod>,
  ds: V1DaemonSet,
  owned: readonly V1ControllerRevision[],
  dsPods: readonly V1Pod[],
): Promise<DaemonSetHistory> {
  let collisionCount = ds.status?.collisionCount ?? 0;
  const probe = buildRevision(ds, daemonSetKind, revisionSpecFor(ds, 0), collisionCount);
  const matching = sortRevisions(findEqualRevisions(owned, probe));
  const old = owned.filter((r) => !matching.includes(r));
  const next = Math.max(0, ...old.map((r) => r.revision)) + 1;
  let current: V1ControllerRevision;
  const keep = matching.at(-1);
  if (!keep) {
    const created = await createRevision(
      client,
      ds,
      daemonSetKind,
      revisionSpecFor(ds, next),
      collisionCount,
    );
    current = created.revision;
    collisionCount = created.collisionCount;
  } else {
    // Duplicates of the current revision: relabel their pods to the kept hash, then drop them.
    const hash = revisionHash(keep);
    for (const duplicate of matching.slice(0, -1)) {
      const stale = revisionHash(duplicate);
      for (const pod of dsPods.filter((p) => p.metadata?.labels?.[daemonRevisionLabel] === stale)) {
        await pods.mutate(pod.metadata?.namespace, pod.metadata?.name ?? '', (live) => {
          live.metadata = {
            ...live.metadata,
            labels: { ...live.metadata?.labels, [daemonRevisionLabel]: hash },
          };
          return live;
        });
      }
      await client.delete(duplicate.metadata?.namespace, duplicate.metadata?.name ?? '');
    }
    current = keep.revision < next ? await renumberRevision(client, keep, next) : keep;
  }
  return { current, hash: revisionHash(current), old, collisionCount };
}

/** `cleanupHistory`: old revisions beyond the limit, oldest first, except those pods still run. */
export function historyToTrim(
  old: readonly V1ControllerRevision[],
  dsPods: readonly V1Pod[],
  limit: number,
): V1ControllerRevision[] {
  let excess = old.length - limit;
  if (excess <= 0) return [];
  const liveHashes = new Set(dsPods.map((p) => p.metadata?.labels?.[daemonRevisionLabel]).filter(Boolean));
  const trimmed: V1ControllerRevision[] = [];
  for (const revision of sortRevisions(old)) {
    if (excess <= 0) break;
    if (liveHashes.has(revisionHash(revision))) continue;
    trimmed.push(revision);
    excess--;
  }
  return trimmed;
}
