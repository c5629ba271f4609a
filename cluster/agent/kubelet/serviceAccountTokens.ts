// The kubelet's token manager: tokens for projected `serviceAccountToken` volume sources, requested
// through serviceaccounts/token bound to the pod, cached per pod, account, audience and lifetime,
// and renewed once 80 % of the lifetime has passed (or after 24 hours), with a little jitter.
// A failed renewal keeps serving the cached token while it is still valid, as the kubelet's
// pkg/kubelet/token/token_manager.go does.

import type { CoreV1Api, V1Pod, V1ServiceAccountTokenProjection } from '@kubernetes/client-node';

interface CachedToken {
  token: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface TokenManagerOptions {
  core: CoreV1Api;
  now?: () => number;
  /** Spreads renewals of many pods apart; default up to 10 s, like the kubelet. */
  jitterMs?: () => number;
}

const maxTtlMs = 24 * 60 * 60 * 1000;
const maxJitterMs = 10_000;
/** The API server's default when a projection gives no expirationSeconds. */
const defaultExpirationSeconds = 3600;

export class ServiceAccountTokenManager {
  private readonly cache = new Map<string, CachedToken>();
  private readonly now: () => number;
  private readonly jitterMs: () => number;

  constructor(private readonly o: TokenManagerOptions) {
    this.now = o.now ?? Date.now;
    this.jitterMs = o.jitterMs ?? (() => Math.random() * maxJitterMs);
  }

  /** Whether a cached token is due for renewal: within 20 % of its end, or older than 24 hours. */
  private needsRefresh(cached: CachedToken): boolean {
    const now = this.now();
    const jitter = this.jitterMs();
    const lifetime = cached.expiresAtMs - cached.issuedAtMs;
    return now > cached.issuedAtMs + maxTtlMs - jitter || now > cached.expiresAtMs - lifetime * 0.2 - jitter;
  }

  /** The token for one projected source of `pod`, requested or renewed when needed. */
  async token(pod: V1Pod, projection: V1ServiceAccountTokenProjection): Promise<string> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const serviceAccount = pod.spec?.serviceAccountName || 'default';
    const uid = pod.metadata?.uid ?? '';
    const expirationSeconds = projection.expirationSeconds ?? defaultExpirationSeconds;
    const audiences = projection.audience ? [projection.audience] : [];
    const key = JSON.stringify([uid, namespace, serviceAccount, audiences, expirationSeconds]);
    const cached = this.cache.get(key);
    if (cached && !this.needsRefresh(cached)) return cached.token;
    try {
      const reply = await this.o.core.createNamespacedServiceAccountToken({
        name: serviceAccount,
        namespace,
        body: {
          spec: {
            audiences,
            expirationSeconds,
            boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid },
          },
        },
      });
      const token = reply.status?.token;
      const expiresAtMs = reply.status?.expirationTimestamp
        ? new Date(reply.status.expirationTimestamp).getTime()
        : Number.NaN;
      if (!token || Number.isNaN(expiresAtMs)) throw new Error('TokenRequest answered without a token');
      const issuedAtMs = expiresAtMs - (reply.spec?.expirationSeconds ?? expirationSeconds) * 1000;
      this.cache.set(key, { token, issuedAtMs, expiresAtMs });
      return token;
    } catch (err) {
      if (cached && this.now() < cached.expiresAtMs) return cached.token;
      throw new Error(
        `failed to fetch token for service account "${namespace}/${serviceAccount}": ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** Drops the tokens of a pod that is gone from this node. */
  forgetPod(uid: string): void {
    for (const key of this.cache.keys()) if ((JSON.parse(key) as string[])[0] === uid) this.cache.delete(key);
  }
}
