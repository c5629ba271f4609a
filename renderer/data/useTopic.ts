import { useEffect, useState } from 'react';
import type { TopicArgs, TopicData, TopicName } from '../../main/host/appApi';
import { api } from '../api/appApi';

/** The latest item of a host stream; subscribes on mount and unsubscribes on unmount. */
export function useTopic<T extends TopicName>(topic: T, args: TopicArgs<T>): TopicData<T> | undefined {
  const [data, setData] = useState<TopicData<T>>();
  const key = JSON.stringify(args);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `args` by value.
  useEffect(() => {
    let stop: (() => Promise<void>) | undefined;
    let cancelled = false;
    void api.subscribe(topic, args, setData).then((unsubscribe) => {
      if (cancelled) void unsubscribe();
      else stop = unsubscribe;
    });
    return () => {
      cancelled = true;
      void stop?.();
    };
  }, [topic, key]);
  return data;
}
