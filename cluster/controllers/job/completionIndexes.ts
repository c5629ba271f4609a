// Indexed Jobs: each pod carries its completion index; `status.completedIndexes` lists the
// succeeded ones as intervals ("1,3-5,7"); missing indexes are created lowest first and a
// duplicate or out-of-range index is removed.
// https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode

import type { V1Pod } from '@kubernetes/client-node';
import { compareForRemoval } from './jobPods';

/** Annotation and label naming a pod's index. */
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';

export function completionIndexOf(pod: V1Pod): number | undefined {
  const text = pod.metadata?.annotations?.[completionIndexKey] ?? pod.metadata?.labels?.[completionIndexKey];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Reads "1,3-5,7", dropping malformed parts and indexes not below `completions`. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const first = Number(match[1]);
    const last = Math.min(Number(match[2] ?? match[1]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}

/** Writes indexes as Kubernetes does: runs of three or more as "a-b", pairs as "a,b". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as number;
    let last = first;
    while (sorted[i + 1] === last + 1) {
      i++;
      last++;
    }
    i++;
    if (last === first) parts.push(String(first));
    else parts.push(last === first + 1 ? `${first},${last}` : `${first}-${last}`);
  }
  return parts.join(',');
}

/** The lowest `count` indexes that have neither succeeded nor an active pod. */
export function firstPendingIndexes(
  succeeded: ReadonlySet<number>,
  activePods: readonly V1Pod[],
  count: number,
  completions: number,
): number[] {
  const taken = new Set(succeeded);
  for (const pod of activePods) {
    const index = completionIndexOf(pod);
    if (index !== undefined) taken.add(index);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/**
 * Splits active pods into those to remove (no index, an index not below `completions`, or all
 * but the best of several pods sharing an index) and those to keep.
 */
export function duplicatedIndexPods(
  pods: readonly V1Pod[],
  completions: number,
): { remove: V1Pod[]; keep: V1Pod[] } {
  const remove: V1Pod[] = [];
  const byIndex = new Map<number, V1Pod[]>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index === undefined || index >= completions) {
      remove.push(pod);
      continue;
    }
    byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
  }
  const keep: V1Pod[] = [];
  for (const group of byIndex.values()) {
    const ordered = [...group].sort(compareForRemoval);
    remove.push(...ordered.slice(0, -1));
    keep.push(ordered[ordered.length - 1] as V1Pod);
  }
  return { remove, keep };
}
