// Pure: the pod status a simulated kubelet reports. Every container of a pod starts together and,
// under restartPolicy Never/OnFailure, ends together after the pod's `sim.kubedesk.io/run-ms` with
// its `sim.kubedesk.io/exit-code`; `sim.kubedesk.io/ready: "false"` keeps it from becoming Ready.

import { createHash } from 'node:crypto';
import type {
  V1ContainerState,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodStatus,
} from '@kubernetes/client-node';
import { timestamp } from '../api/rest/restContext';

export const simAnnotations = {
  runMs: 'sim.kubedesk.io/run-ms',
  exitCode: 'sim.kubedesk.io/exit-code',
  ready: 'sim.kubedesk.io/ready',
} as const;

export const defaultRunMs = 100;

/** One start of the pod's containers on a node. */
export interface PodRun {
  hostIP: string;
  podIP: string;
  /** When the kubelet first took the pod (status.startTime). */
  startTime: Date;
  /** When the current attempt of the containers started. */
  startedAt: Date;
  restartCount: number;
  /** The attempt before this one, once a container restarted. */
  last?: { exitCode: number; startedAt: Date; finishedAt: Date };
}

function annotation(pod: V1Pod, key: string): string | undefined {
  return pod.metadata?.annotations?.[key];
}

function numberOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) ? n : fallback;
}

/** Pods whose containers end: restartPolicy Never or OnFailure. */
export function runsToCompletion(pod: V1Pod): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Never' || policy === 'OnFailure';
}

export function runMsOf(pod: V1Pod): number {
  return Math.max(0, numberOr(annotation(pod, simAnnotations.runMs), defaultRunMs));
}

export function exitCodeOf(pod: V1Pod): number {
  return Math.trunc(numberOr(annotation(pod, simAnnotations.exitCode), 0));
}

export function wantsReady(pod: V1Pod): boolean {
  return annotation(pod, simAnnotations.ready) !== 'false';
}

/** What happens when an attempt ends: the pod's final phase, or a restart (OnFailure, non-zero). */
export function outcome(pod: V1Pod, exitCode: number): 'Succeeded' | 'Failed' | 'Restart' {
  if (exitCode === 0) return 'Succeeded';
  return pod.spec?.restartPolicy === 'OnFailure' ? 'Restart' : 'Failed';
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const at = (date: Date) => timestamp(date) as unknown as Date;

function imageID(image: string): string {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const repository = colon > slash ? image.slice(0, colon) : image;
  return `${repository}@sha256:${hash(image)}`;
}

function terminated(
  exitCode: number,
  startedAt: Date,
  finishedAt: Date,
  containerID: string,
): V1ContainerState {
  return {
    terminated: {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: at(startedAt),
      finishedAt: at(finishedAt),
      containerID,
    },
  };
}

function condition(
  type: string,
  ok: boolean,
  now: Date,
  previous: V1PodCondition[],
  reason?: string,
  message?: string,
): V1PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime =
    before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : at(now);
  return {
    type,
    status,
    lastTransitionTime,
    ...(!ok && reason ? { reason } : {}),
    ...(!ok && message ? { message } : {}),
  };
}

/** The status of a pod whose containers run (`end` unset) or have ended with `end.exitCode`. */
export function simulatedPodStatus(
  pod: V1Pod,
  run: PodRun,
  now: Date,
  end?: { exitCode: number; finishedAt: Date },
): V1PodStatus {
  const uid = pod.metadata?.uid ?? '';
  const containers = pod.spec?.containers ?? [];
  const done = end !== undefined;
  const phase = !end ? 'Running' : end.exitCode === 0 ? 'Succeeded' : 'Failed';
  const ready = !done && wantsReady(pod);
  const containerID = (name: string, attempt: number) => `containerd://${hash(`${uid}/${name}/${attempt}`)}`;
  const containerStatuses = containers.map((c): V1ContainerStatus => {
    const id = containerID(c.name, run.restartCount);
    const last = run.last;
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: imageID(c.image ?? ''),
      containerID: id,
      ready,
      started: !done,
      restartCount: run.restartCount,
      state: end
        ? terminated(end.exitCode, run.startedAt, end.finishedAt, id)
        : { running: { startedAt: at(run.startedAt) } },
      lastState: last
        ? terminated(
            last.exitCode,
            last.startedAt,
            last.finishedAt,
            containerID(c.name, run.restartCount - 1),
          )
        : {},
    };
  });
  const previous = pod.status?.conditions ?? [];
  const notReadyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const notReadyMessage = done
    ? undefined
    : `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`;
  const kubeletConditions = [
    condition('PodReadyToStartContainers', !done, now, previous),
    condition('Initialized', true, now, previous),
    condition('Ready', ready, now, previous, notReadyReason, notReadyMessage),
    condition('ContainersReady', ready, now, previous, notReadyReason, notReadyMessage),
    condition('PodScheduled', true, now, previous),
  ];
  // Conditions others own (DisruptionTarget, readiness gates) stay as they are.
  const others = previous.filter((c) => !kubeletConditions.some((k) => k.type === c.type));
  const status: V1PodStatus = {
    phase,
    conditions: [...kubeletConditions, ...others],
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    podIP: run.podIP,
    podIPs: [{ ip: run.podIP }],
    startTime: at(run.startTime),
    qosClass: pod.status?.qosClass ?? 'BestEffort',
    containerStatuses,
  };
  const init = pod.spec?.initContainers ?? [];
  if (init.length > 0) {
    status.initContainerStatuses = init.map((c) => {
      const id = containerID(c.name, 0);
      return {
        name: c.name,
        image: c.image ?? '',
        imageID: imageID(c.image ?? ''),
        containerID: id,
        ready: true,
        started: false,
        restartCount: 0,
        state: terminated(0, run.startTime, run.startedAt, id),
        lastState: {},
      };
    });
  }
  return status;
}

/** The run a pod's reported status describes, so a restarted simulator carries on from it. */
export function runFromStatus(pod: V1Pod): PodRun | undefined {
  const status = pod.status;
  const first = status?.containerStatuses?.[0];
  const startedAt = first?.state?.running?.startedAt;
  if (status?.phase !== 'Running' || !status.podIP || !status.hostIP || !startedAt) return undefined;
  const last = first?.lastState?.terminated;
  return {
    hostIP: status.hostIP,
    podIP: status.podIP,
    startTime: new Date(status.startTime ?? startedAt),
    startedAt: new Date(startedAt),
    restartCount: first?.restartCount ?? 0,
    ...(last?.startedAt && last.finishedAt
      ? {
          last: {
            exitCode: last.exitCode,
            startedAt: new Date(last.startedAt),
            finishedAt: new Date(last.finishedAt),
          },
        }
      : {}),
  };
}
