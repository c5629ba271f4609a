// Watches the pods of the StatefulSet `web` and records, on every event, the order they were
// created and removed in, and each time that order broke OrderedReady: a pod created before the
// one below it was Ready, or one removed while the one above it still existed.

import type { V1Pod } from '@kubernetes/client-node';
import { isPodReady } from '../../replicaSet/podState';
import type { ResourceClient } from '../../runtime/clusterClient';

export interface PodTimeline {
  created: string[];
  removed: string[];
  violations: string[];
  /**
   * Whether removals are held to the order. Rolling updates replace pods from the top down too, but
   * only scale-down must wait for the higher pod to go; a test turns this off while it rolls out.
   */
  checkRemovalOrder: boolean;
  close(): void;
}

export function recordPodTimeline(pods: ResourceClient<V1Pod>, afterRevision: number): PodTimeline {
  const ready = new Set<string>();
  const present = new Set<string>();
  const gone = new Set<string>();
  const ordinal = (name: string) => Number(name.split('-').pop());
  const timeline: PodTimeline = {
    created: [],
    removed: [],
    violations: [],
    checkRemovalOrder: true,
    close: () => watch.close(),
  };
  const watch = pods.watch(
    'default',
    afterRevision,
    (event) => {
      const name = event.object.metadata?.name ?? '';
      const n = ordinal(name);
      if (event.type === 'ADDED') {
        timeline.created.push(name);
        if (n > 0 && !ready.has(`web-${n - 1}`))
          timeline.violations.push(`${name} created before web-${n - 1} was Ready`);
        present.add(name);
      }
      const leaving = event.type === 'DELETED' || Boolean(event.object.metadata?.deletionTimestamp);
      const uid = event.object.metadata?.uid ?? '';
      if (leaving && present.has(name) && !gone.has(uid)) {
        gone.add(uid);
        timeline.removed.push(name);
        if (timeline.checkRemovalOrder && present.has(`web-${n + 1}`))
          timeline.violations.push(`${name} deleted while web-${n + 1} still existed`);
      }
      if (event.type === 'DELETED') present.delete(name);
      if (event.type !== 'DELETED' && isPodReady(event.object) && !event.object.metadata?.deletionTimestamp)
        ready.add(name);
      else ready.delete(name);
    },
    () => {},
  );
  return timeline;
}
