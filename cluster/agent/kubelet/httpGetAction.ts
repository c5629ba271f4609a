import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { V1HTTPGetAction } from '@kubernetes/client-node';

// An HTTPGetAction as the kubelet sends it, for probes and lifecycle hooks alike: to the pod's IP
// unless `host` is set, the port by number or by the container's port name, HTTPS without
// verifying the certificate (the kubelet's prober does not verify either).

export interface HttpGetTarget {
  podIP: string;
  namedPort: (name: string) => number | undefined;
}

/** A port given as a number, a numeric string or the name of one of the container's ports. */
export function resolvePort(
  value: number | string,
  namedPort: (name: string) => number | undefined,
): number | undefined {
  if (typeof value === 'number') return value;
  return /^\d+$/.test(value) ? Number(value) : namedPort(value);
}

/** Resolves with the response's status code; rejects when the request fails or `signal` aborts it. */
export function httpGet(
  action: V1HTTPGetAction,
  target: HttpGetTarget,
  signal: AbortSignal,
): Promise<number> {
  const port = resolvePort(action.port, target.namedPort);
  if (port === undefined) return Promise.reject(new Error(`couldn't find port: ${action.port}`));
  const request = action.scheme === 'HTTPS' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: action.host || target.podIP,
        port,
        path: action.path || '/',
        signal,
        rejectUnauthorized: false,
        headers: Object.fromEntries((action.httpHeaders ?? []).map((h) => [h.name, h.value])),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
