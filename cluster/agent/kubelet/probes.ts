import { connect } from 'node:net';
import type { V1Probe } from '@kubernetes/client-node';
import { type HttpGetTarget, httpGet, resolvePort } from './httpGetAction';

// One probe attempt (exec, httpGet or tcpSocket) as the kubelet's prober runs it: HTTP 200-399 is
// success, a TCP connect is success, exec exit 0 is success; a timeout is a failure.

/** Runs a command in the container: its exit code, or -1 when `signal` aborted it. */
export type ExecInContainer = (command: string[], signal: AbortSignal) => Promise<number>;

/** Where a container's probes (and lifecycle hooks) run. */
export interface ProbeTarget extends HttpGetTarget {
  exec: ExecInContainer;
}

export async function runProbe(probe: V1Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec)
    return (
      (await target.exec(probe.exec.command ?? [], AbortSignal.timeout(timeoutMs)).catch(() => -1)) === 0
    );
  if (probe.httpGet) {
    const status = await httpGet(probe.httpGet, target, AbortSignal.timeout(timeoutMs)).catch(() => 0);
    return status >= 200 && status < 400;
  }
  if (probe.tcpSocket) {
    const p = resolvePort(probe.tcpSocket.port, target.namedPort);
    if (p === undefined) return false;
    return new Promise((resolve) => {
      const socket = connect({ host: probe.tcpSocket?.host || target.podIP, port: p, timeout: timeoutMs });
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(false));
    });
  }
  return true;
}

/** Tracks consecutive results against a probe's thresholds, as the kubelet's worker does. */
export class ProbeTracker {
  private successes = 0;
  private failures = 0;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  /** The probe's verdict; undefined until the thresholds are first met. */
  result: boolean | undefined;

  constructor(
    private readonly probe: V1Probe,
    private readonly startedAt: number,
  ) {}

  due(now: number): boolean {
    if (now - this.startedAt < (this.probe.initialDelaySeconds ?? 0) * 1000) return false;
    return now - this.lastRunAt >= (this.probe.periodSeconds ?? 10) * 1000;
  }

  record(success: boolean, now: number): boolean | undefined {
    this.lastRunAt = now;
    if (success) {
      this.failures = 0;
      this.successes += 1;
      if (this.successes >= (this.probe.successThreshold ?? 1)) this.result = true;
    } else {
      this.successes = 0;
      this.failures += 1;
      if (this.failures >= (this.probe.failureThreshold ?? 3)) this.result = false;
    }
    return this.result;
  }
}
