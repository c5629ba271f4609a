import type { AppApiHandlers } from '../appApi';
import type { Operations } from './operationsRegistry';

// `operations.retry` and the `operations` topic: the whole (bounded) list on subscribe, then again
// after changes, at most once per `flushMs` so byte-by-byte progress does not flood the renderer.

export function createOperationsHandlers(operations: Operations, options: { flushMs?: number } = {}) {
  const flushMs = options.flushMs ?? 250;
  const methods: AppApiHandlers['methods']['operations'] = {
    retry: async ({ id }) => {
      await operations.retry(id);
      return null;
    },
  };
  const topic: AppApiHandlers['topics']['operations'] = (_args, emit) => {
    emit(operations.list());
    let timer: NodeJS.Timeout | undefined;
    const stop = operations.onChange(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        emit(operations.list());
      }, flushMs);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  };
  return { methods, topic };
}
