import type { z } from 'zod';
import type { ApiServerClient } from './apiServerClient';
import type { PodLogsData, podLogsArgsSchema } from './objectDetailsContract';
import { statusFailure } from './statusCauses';

// A pod's log as a stream of line batches, read from the API server's pods/log (which proxies the
// node's kubelet, like `kubectl logs -f`). Lines are sent at most once per `flushMs`; a batch holds
// at most `maxBatchLines`, older lines beyond that are counted as skipped, so a container writing
// faster than the UI reads costs bounded memory.

export interface PodLogStreamOptions {
  client: ApiServerClient;
  flushMs?: number;
  maxBatchLines?: number;
}

const defaultFlushMs = 50;
const defaultMaxBatchLines = 5000;

export function podLogPath(args: z.output<typeof podLogsArgsSchema>): string {
  const query = new URLSearchParams({
    container: args.container,
    follow: String(args.follow),
    previous: String(args.previous),
    timestamps: String(args.timestamps),
    tailLines: String(args.tailLines),
  });
  const ns = encodeURIComponent(args.namespace);
  return `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(args.pod)}/log?${query}`;
}

export function streamPodLogs(
  args: z.output<typeof podLogsArgsSchema>,
  emit: (data: PodLogsData) => void,
  options: PodLogStreamOptions,
): () => void {
  const flushMs = options.flushMs ?? defaultFlushMs;
  const maxBatchLines = options.maxBatchLines ?? defaultMaxBatchLines;
  let stopped = false;
  let abort: (() => void) | undefined;
  let pending: string[] = [];
  let skipped = 0;
  let partial = '';
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    if (stopped || pending.length === 0) return;
    emit({ type: 'lines', lines: pending, ...(skipped > 0 ? { skipped } : {}) });
    pending = [];
    skipped = 0;
  };
  const add = (lines: string[]) => {
    pending.push(...lines);
    if (pending.length > maxBatchLines) {
      skipped += pending.length - maxBatchLines;
      pending = pending.slice(-maxBatchLines);
    }
    timer ??= setTimeout(flush, flushMs);
  };
  const finish = (last: PodLogsData) => {
    if (stopped) return;
    if (partial) add([partial]);
    partial = '';
    if (timer) clearTimeout(timer);
    flush();
    emit(last);
    stopped = true;
  };

  options.client.stream(podLogPath(args)).then(
    ({ response, abort: end }) => {
      abort = end;
      if (stopped) return end();
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          finish({ type: 'error', message: statusFailure(response.statusCode ?? 0, body, text).message });
        });
        return;
      }
      response.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        if (lines.length > 0) add(lines);
      });
      response.on('end', () => finish({ type: 'end' }));
      response.on('error', (err) => finish({ type: 'error', message: err.message }));
    },
    (err: Error) => finish({ type: 'error', message: `cannot reach the API server: ${err.message}` }),
  );

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    abort?.();
  };
}
