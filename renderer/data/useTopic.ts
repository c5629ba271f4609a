import { useEffect, useState } from 'react';
import type { TopicArgs, TopicData, TopicName } from '../../main/host/appApi';
import { subscribeTopic } from './subscribeTopic';

/** The latest item of a host stream; subscribes on mount and unsubscribes on unmount. */
export function useTopic<T extends TopicName>(topic: T, args: TopicArgs<T>): TopicData<T> | undefined {
  const [data, setData] = useState<TopicData<T>>();
  const key = JSON.stringify(args);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `args` by value.
  useEffect(() => subscribeTopic(topic, args, setData), [topic, key]);
  return data;
}
