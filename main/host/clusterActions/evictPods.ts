import type { V1Pod } from '@kubernetes/client-node';
import { apiErrorMessage } from '../../../cluster/compose/deploy/kubeClient';
import type { PodOutcome } from './clusterActionsContract';
import { podName } from './drainPlan';

// Evicts pods through the eviction subresource, as `kubectl drain` does: a refusal by a disruption
// budget (429 TooManyRequests) is retried until the deadline, a pod already gone counts as evicted,
// and any other error ends that pod's attempts. Pods are evicted concurrently.

export interface EvictOptions {
  evict(pod: V1Pod): Promise<void>;
  timeoutMs: number;
  /** Between retries of a refused eviction; kubectl waits 5 s. */
  retryMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface EvictResult {
  evicted: string[];
  failed: PodOutcome[];
}

const statusCode = (err: unknown) => (err as { code?: unknown }).code;

/** The Status message plus its causes, which name the budget that refused ("needs 2 healthy pods"). */
export function evictionMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  let causes: string[] = [];
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as {
      details?: { causes?: { message?: string }[] };
    };
    causes = (status?.details?.causes ?? []).flatMap((c) => (c.message ? [c.message] : []));
  } catch {
    // Not a Status body: the client's own message is all there is.
  }
  const message = apiErrorMessage(err);
  return causes.length ? `${message} (${causes.join('; ')})` : message;
}

export async function evictPods(pods: V1Pod[], options: EvictOptions): Promise<EvictResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryMs = options.retryMs ?? 5_000;
  const deadline = now() + options.timeoutMs;
  const result: EvictResult = { evicted: [], failed: [] };

  const evictOne = async (pod: V1Pod) => {
    const name = podName(pod);
    for (;;) {
      try {
        await options.evict(pod);
        result.evicted.push(name);
        return;
      } catch (err) {
        const code = statusCode(err);
        if (code === 404) {
          result.evicted.push(name);
          return;
        }
        const message = evictionMessage(err);
        if (code !== 429 || now() + retryMs > deadline) {
          result.failed.push({ pod: name, reason: message });
          return;
        }
        await sleep(retryMs);
      }
    }
  };

  await Promise.all(pods.map(evictOne));
  result.evicted.sort();
  result.failed.sort((a, b) => a.pod.localeCompare(b.pod));
  return result;
}
