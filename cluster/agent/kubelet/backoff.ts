// CrashLoopBackOff timing as the kubelet does it: 10 s after the first crash, doubling to 5 min,
// and reset once a container has run cleanly for 10 minutes
// (kubernetes pkg/kubelet/kubelet.go MaxContainerBackOff, backOffPeriod).

export const initialBackoffMs = 10_000;
export const maxBackoffMs = 300_000;
export const backoffResetMs = 600_000;

/**
 * Delay before restarting a container that has already been restarted `restartCount` times, given
 * how long its last run lasted: the first restart is immediate, then 10 s, 20 s, … up to 5 min.
 */
export function crashBackoffMs(restartCount: number, lastRunMs: number): number {
  if (restartCount <= 0 || lastRunMs >= backoffResetMs) return 0;
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** (restartCount - 1));
}

/** Image pull back-off follows the same curve, starting after the first failure. */
export function pullBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxBackoffMs, initialBackoffMs * 2 ** (failures - 1));
}
