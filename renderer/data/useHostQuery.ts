import { type DependencyList, useEffect, useState } from 'react';

/**
 * The reply of a one-off host call, made again when `deps` change. A reply to an earlier call is
 * dropped; the last value stays shown until the next one arrives, and a failure keeps it too.
 */
export function useHostQuery<T>(
  query: () => Promise<T>,
  deps: DependencyList,
): { data: T | undefined; error: string | undefined } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    query().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      },
      (err: Error) => {
        if (current) setError(err.message);
      },
    );
    return () => {
      current = false;
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's `deps` stand for `query`.
  }, deps);
  return { data, error };
}
