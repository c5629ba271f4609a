import { request } from 'node:http';
import { connect } from 'node:net';
import type { V1Probe } from '@kubernetes/client-node';

// One probe attempt (exec, httpGet or tcpSocket) as the kubelet's prober runs it: HTTP 200-399 is
// success, a TCP connect is success, exec exit 0 is success; a timeout is a failure.

export type ExecInContainer = (command: string[], timeoutMs: number) => Promise<number>;

export async function runProbe(
  probe: V1Probe,
  target: { podIP: string; exec: ExecInContainer; namedPort: (name: string) => number | undefined },
): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const port = (value: number | string) =>
    typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : target.namedPort(value);
  if (probe.exec) return (await target.exec(probe.exec.command ?? [], timeoutMs).catch(() => -1)) === 0;
  if (probe.httpGet) {
    const { path = '/', scheme, host, httpHeaders } = probe.httpGet;
    const p = port(probe.httpGet.port);
    if (p === undefined || scheme === 'HTTPS') return false;
    return new Promise((resolve) => {
      const req = request(
        {
          host: host || target.podIP,
          port: p,
          path,
          timeout: timeoutMs,
          headers: Object.fromEntries((httpHeaders ?? []).map((h) => [h.name, h.value])),
        },
        (res) => {
          res.resume();
          resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
  }
  if (probe.tcpSocket) {
    const p = port(probe.tcpSocket.port);
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
