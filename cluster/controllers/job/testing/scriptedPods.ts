// A stand-in kubelet for Job and CronJob unit tests (no nodes, no scheduler): every new pending pod
// gets the status the test's script picks (running with restarts, succeeded, failed), written
// through the status subresource, and the largest number of pods active at once is recorded.

import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { timestamp } from '../../../api/rest/restContext';
import type { ControllerContext } from '../../runtime/controllerContext';
import { resources } from '../../runtime/resources';

export type PodFate =
  | { phase: 'Succeeded' | 'Failed'; exitCode?: number }
  | { phase: 'Running'; restartCount?: number };

export interface ScriptedPods {
  /** The most pods seen active (not finished, not deleting) at the same time. */
  readonly maxActive: number;
  stop(): void;
}

function statusFor(pod: V1Pod, fate: PodFate, now: Date): V1PodStatus {
  const at = timestamp(now) as unknown as Date;
  const container = pod.spec?.containers[0]?.name ?? 'main';
  const image = pod.spec?.containers[0]?.image ?? '';
  if (fate.phase === 'Running') {
    return {
      ...pod.status,
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at }],
      containerStatuses: [
        {
          name: container,
          image,
          imageID: '',
          ready: true,
          restartCount: fate.restartCount ?? 0,
          state: { running: { startedAt: at } },
        },
      ],
    };
  }
  const exitCode = fate.exitCode ?? (fate.phase === 'Succeeded' ? 0 : 1);
  return {
    ...pod.status,
    phase: fate.phase,
    conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }],
    containerStatuses: [
      {
        name: container,
        image,
        imageID: '',
        ready: false,
        restartCount: 0,
        state: {
          terminated: {
            exitCode,
            finishedAt: at,
            startedAt: at,
            reason: exitCode === 0 ? 'Completed' : 'Error',
          },
        },
      },
    ],
  };
}

export function scriptPods(
  ctx: ControllerContext,
  script: (pod: V1Pod) => PodFate | undefined,
): ScriptedPods {
  const pods = ctx.client.resource(resources.pods);
  const active = new Set<string>();
  const handled = new Set<string>();
  let maxActive = 0;
  let stopped = false;
  const observe = (pod: V1Pod) => {
    const uid = pod.metadata?.uid ?? '';
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp) active.delete(uid);
    else active.add(uid);
    maxActive = Math.max(maxActive, active.size);
    if (stopped || phase !== 'Pending' || pod.metadata?.deletionTimestamp || handled.has(uid)) return;
    const fate = script(pod);
    if (!fate) return;
    handled.add(uid);
    void pods
      .mutate(
        pod.metadata?.namespace,
        pod.metadata?.name ?? '',
        (live) => {
          if (live.metadata?.uid !== uid) return undefined;
          live.status = statusFor(live, fate, ctx.clock.now());
          return live;
        },
        { subresource: 'status' },
      )
      .catch(() => handled.delete(uid));
  };
  ctx.informers.for(resources.pods).addHandlers({
    onAdd: observe,
    onUpdate: (_old, pod) => observe(pod),
    onDelete: (pod) => active.delete(pod.metadata?.uid ?? ''),
  });
  return {
    get maxActive() {
      return maxActive;
    },
    stop() {
      stopped = true;
    },
  };
}
