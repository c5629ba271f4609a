// Calls `fn` `count` times in batches that double in size (1, 2, 4, ...), all calls of a batch at
// once, and stops after the first batch with a failure: a template the API server rejects costs
// one request, not hundreds (Kubernetes' slowStartBatch).

export interface BatchResult {
  successes: number;
  /** The first failure of the batch that stopped the run. */
  error?: unknown;
}

export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<BatchResult> {
  let remaining = count;
  let successes = 0;
  for (let size = Math.min(remaining, initialBatchSize); size > 0; size = Math.min(2 * size, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    let error: unknown;
    let failed = false;
    for (const result of results) {
      if (result.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = result.reason;
      }
    }
    if (failed) return { successes, error };
    remaining -= size;
  }
  return { successes };
}
