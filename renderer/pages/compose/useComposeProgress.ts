import { useEffect, useRef, useState } from 'react';
import type { ComposeProgressView } from '../../../main/host/compose/composeContract';
import { subscribeTopic } from '../../data/subscribeTopic';

/** The latest `compose.progress` item per service of one operation; `track(opId)` starts a new one. */
export function useComposeProgress(): {
  progress: Record<string, ComposeProgressView>;
  track(opId: string): void;
} {
  const [progress, setProgress] = useState<Record<string, ComposeProgressView>>({});
  const current = useRef<string | undefined>(undefined);
  useEffect(
    () =>
      subscribeTopic('compose.progress', {}, (item) => {
        if (item.opId === current.current) setProgress((all) => ({ ...all, [item.service]: item }));
      }),
    [],
  );
  return {
    progress,
    track(opId) {
      current.current = opId;
      setProgress({});
    },
  };
}
