import type {
  V1ContainerState,
  V1ContainerStatus,
  V1Pod,
  V1PodCondition,
  V1PodStatus,
} from '@kubernetes/client-node';

// Pure: the pod status the kubelet reports, from what the node's dockerd shows of each container
// (its latest and previous attempt) plus the worker's own notes (waiting reasons, probe results).

export interface ContainerRun {
  id: string;
  imageID: string;
  attempt: number;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
}

export interface ObservedContainer {
  name: string;
  image: string;
  latest?: ContainerRun;
  previous?: ContainerRun;
  /** Set when the container is not running: CrashLoopBackOff, ErrImagePull, CreateContainerConfigError… */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

export interface ObservedPod {
  hostIP: string;
  podIP?: string;
  init: ObservedContainer[];
  containers: ObservedContainer[];
  /** Set once the pod's containers have all ended and will not be restarted. */
  startTime?: string;
}

const dockerTime = (t?: string) =>
  t && !t.startsWith('0001-') ? new Date(t).toISOString().replace(/\.\d+Z$/, 'Z') : undefined;

function terminatedState(run: ContainerRun): V1ContainerState {
  const reason = run.oomKilled ? 'OOMKilled' : run.exitCode === 0 ? 'Completed' : 'Error';
  return {
    terminated: {
      exitCode: run.exitCode,
      reason,
      containerID: `docker://${run.id}`,
      ...(dockerTime(run.startedAt) ? { startedAt: dockerTime(run.startedAt) as unknown as Date } : {}),
      ...(dockerTime(run.finishedAt) ? { finishedAt: dockerTime(run.finishedAt) as unknown as Date } : {}),
    },
  };
}

export function containerStatus(c: ObservedContainer): V1ContainerStatus {
  const { latest, previous } = c;
  let state: V1ContainerState;
  if (latest?.running) {
    state = { running: { startedAt: dockerTime(latest.startedAt) as unknown as Date } };
  } else if (c.waiting) {
    state = {
      waiting: { reason: c.waiting.reason, ...(c.waiting.message ? { message: c.waiting.message } : {}) },
    };
  } else if (latest) {
    state = terminatedState(latest);
  } else {
    state = { waiting: { reason: 'ContainerCreating' } };
  }
  // While waiting to restart, the last run is the one that ended; otherwise the run before it.
  const last = latest && !latest.running && c.waiting ? latest : previous;
  return {
    name: c.name,
    image: c.image,
    imageID: latest?.imageID ?? '',
    ...(latest ? { containerID: `docker://${latest.id}` } : {}),
    ready: c.ready && !!latest?.running,
    started: c.started && !!latest?.running,
    restartCount: latest?.attempt ?? 0,
    state,
    lastState: last ? terminatedState(last) : {},
  };
}

const ended = (c: ObservedContainer) => !!c.latest && !c.latest.running && !c.waiting;

export function podPhase(pod: V1Pod, observed: ObservedPod): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initFailed = observed.init.some((c) => ended(c) && c.latest?.exitCode !== 0) && policy === 'Never';
  if (initFailed) return 'Failed';
  const initDone = observed.init.every((c) => ended(c) && c.latest?.exitCode === 0);
  if (!initDone) return 'Pending';
  const apps = observed.containers;
  if (apps.some((c) => !c.latest)) return 'Pending';
  if (apps.some((c) => c.latest?.running)) return 'Running';
  if (policy === 'Always') return 'Running';
  if (apps.every(ended)) {
    if (apps.every((c) => c.latest?.exitCode === 0)) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
  }
  return 'Running';
}

function condition(type: string, ok: boolean, previous: V1PodCondition[], reason?: string): V1PodCondition {
  const before = previous.find((c) => c.type === type);
  const status = ok ? 'True' : 'False';
  const lastTransitionTime =
    before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : new Date();
  return { type, status, lastTransitionTime, ...(ok || !reason ? {} : { reason }) };
}

export function computePodStatus(pod: V1Pod, observed: ObservedPod): V1PodStatus {
  const previous = pod.status?.conditions ?? [];
  const phase = podPhase(pod, observed);
  const initialized = observed.init.every((c) => ended(c) && c.latest?.exitCode === 0);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const containersReady = !done && observed.containers.every((c) => c.ready && c.latest?.running);
  const notReady = observed.containers.filter((c) => !(c.ready && c.latest?.running)).map((c) => c.name);
  const status: V1PodStatus = {
    phase,
    conditions: [
      condition('PodReadyToStartContainers', !!observed.podIP, previous),
      condition('Initialized', initialized, previous, 'ContainersNotInitialized'),
      condition('Ready', containersReady, previous, done ? 'PodCompleted' : 'ContainersNotReady'),
      condition('ContainersReady', containersReady, previous, done ? 'PodCompleted' : 'ContainersNotReady'),
      condition('PodScheduled', true, previous),
    ],
    hostIP: observed.hostIP,
    hostIPs: [{ ip: observed.hostIP }],
    ...(observed.podIP ? { podIP: observed.podIP, podIPs: [{ ip: observed.podIP }] } : {}),
    startTime: (pod.status?.startTime ?? observed.startTime ?? new Date()) as Date,
    qosClass: pod.status?.qosClass ?? 'BestEffort',
    containerStatuses: observed.containers.map(containerStatus),
  };
  if (observed.init.length > 0) status.initContainerStatuses = observed.init.map(containerStatus);
  const readyCondition = status.conditions?.find((c) => c.type === 'Ready');
  if (readyCondition && readyCondition.status === 'False' && !done && notReady.length) {
    readyCondition.message = `containers with unready status: [${notReady.join(' ')}]`;
  }
  return status;
}
