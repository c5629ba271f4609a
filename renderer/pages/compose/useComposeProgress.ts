import { useEffect, useRef, useState } from 'react';
import type { ComposeProgressView } from '../../../main/host/compose/composeContract';
import { api } from '../../api/appApi';

/** The latest `compose.progress` item per service of one operation; `track(opId)` starts a new one. */
export function useComposeProgress(): {
  progress: Record<string, ComposeProgressView>;
  track(opId: string): void;
} {
  const [progress, setProgress] = useState<Record<string, ComposeProgressView>>({});
  const current = useRef<string | undefined>(undefined);
  useEffect(() => {
    let stop: (() => Promise<void>) | undefined;
    let cancelled = false;
    void api
      .subscribe('compose.progress', {}, (item) => {
        if (item.opId === current.current) setProgress((all) => ({ ...all, [item.service]: item }));
      })
      .then((unsubscribe) => {
        if (cancelled) void unsubscribe();
        else stop = unsubscribe;
      });
    return () => {
      cancelled = true;
      void stop?.();
    };
  }, []);
  return {
    progress,
    track(opId) {
      current.current = opId;
      setProgress({});
    },
  };
}
