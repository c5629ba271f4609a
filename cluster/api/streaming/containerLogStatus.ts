import type { V1Pod } from '@kubernetes/client-node';

// Whether a container has logs to show, judged from the pod status the kubelet reported, with the
// messages the kubelet answers (400) when it has not (kubelet_pods.go validateContainerLogStatus).
// Our kubelet API only sees Docker containers, so the API server makes this check.

export function containerLogProblem(pod: V1Pod, container: string, previous: boolean): string | undefined {
  const name = pod.metadata?.name ?? '';
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const status = statuses.find((s) => s.name === container);
  if (!status) return `container "${container}" in pod "${name}" is not available`;
  const { running, terminated, waiting } = status.state ?? {};
  const lastTerminated = status.lastState?.terminated;
  if (previous) {
    return lastTerminated?.containerID
      ? undefined
      : `previous terminated container "${container}" in pod "${name}" not found`;
  }
  if (running) return undefined;
  if (terminated) {
    return terminated.containerID || lastTerminated?.containerID
      ? undefined
      : `container "${container}" in pod "${name}" is terminated`;
  }
  if (lastTerminated) {
    return lastTerminated.containerID ? undefined : `container "${container}" in pod "${name}" is terminated`;
  }
  if (waiting) {
    const why =
      waiting.reason === 'ErrImagePull'
        ? "image can't be pulled"
        : waiting.reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : waiting.reason;
    return `container "${container}" in pod "${name}" is waiting to start: ${why}`;
  }
  return `container "${container}" in pod "${name}" is waiting to start - no logs yet`;
}
