import type { TopicArgs, TopicData, TopicName } from '../../main/host/appApi';
import { api } from '../api/appApi';

/**
 * Starts a host stream from an effect and returns the effect's cleanup. The cleanup may run before
 * the host confirms the subscription; the stream is then ended as soon as it is.
 */
export function subscribeTopic<T extends TopicName>(
  topic: T,
  args: TopicArgs<T>,
  listener: (data: TopicData<T>) => void,
): () => void {
  let stop: (() => Promise<void>) | undefined;
  let cancelled = false;
  void api.subscribe(topic, args, listener).then((unsubscribe) => {
    if (cancelled) void unsubscribe();
    else stop = unsubscribe;
  });
  return () => {
    cancelled = true;
    void stop?.();
  };
}
