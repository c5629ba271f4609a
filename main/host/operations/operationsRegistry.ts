import { randomUUID } from 'node:crypto';
import type { Progress } from '../../../cluster/provisioner/steps';
import type { OperationList, OperationStep, OperationView } from './operationsContract';

// Keeps the host's long operations and their steps; listeners hear of every change. Producers
// report either named phases (`phase`) or the provisioner's typed step progress (`progress`);
// the registry turns both into one list of steps.

export interface OperationHandle {
  readonly id: string;
  /** Ends the running phase (if any) and starts a step of this title. */
  phase(title: string): void;
  /** A provisioner step event; `running` again for the same step updates bytes and detail. */
  progress(progress: Pick<Progress, 'step' | 'state' | 'error' | 'bytes' | 'elapsedMs' | 'detail'>): void;
  succeed(): void;
  fail(err: unknown): void;
}

/** What producers (ClusterManager, compose deploy) need from the registry. */
export interface OperationSink {
  begin(title: string, options?: { retry?: () => Promise<unknown> }): OperationHandle;
}

export interface Operations extends OperationSink {
  list(): OperationList;
  onChange(listener: () => void): () => void;
  retry(id: string): Promise<void>;
}

export class OperationNotRetryableError extends Error {
  override name = 'OperationNotRetryableError';
  readonly code = 'NotRetryable';
}

interface Entry {
  view: OperationView;
  started: number;
  stepStarted: Map<string, number>;
  retry?: () => Promise<unknown>;
}

export function createOperations(options: { keepEnded?: number; now?: () => number } = {}): Operations {
  const keepEnded = options.keepEnded ?? 10;
  const now = options.now ?? Date.now;
  const entries: Entry[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const prune = () => {
    const ended = entries.filter((e) => e.view.state !== 'running');
    for (const old of ended.slice(keepEnded)) entries.splice(entries.indexOf(old), 1);
  };

  const begin: OperationSink['begin'] = (title, beginOptions = {}) => {
    const entry: Entry = {
      view: {
        id: `op-${randomUUID().slice(0, 8)}`,
        title,
        state: 'running',
        startedAt: new Date(now()).toISOString(),
        steps: [],
        retryable: false,
      },
      started: now(),
      stepStarted: new Map(),
      ...(beginOptions.retry ? { retry: beginOptions.retry } : {}),
    };
    entries.unshift(entry);
    prune();
    changed();
    const { view } = entry;
    const stepNamed = (name: string): OperationStep => {
      let step = view.steps.find((s) => s.title === name);
      if (!step) {
        step = { title: name, state: 'running' };
        view.steps.push(step);
        entry.stepStarted.set(name, now());
      }
      return step;
    };
    const end = (step: OperationStep, state: 'done' | 'failed', elapsedMs?: number) => {
      step.state = state;
      step.elapsedMs = elapsedMs ?? now() - (entry.stepStarted.get(step.title) ?? entry.started);
    };
    /** Phases run one at a time: a new one, or a provisioner step, ends the previous phase. */
    let openPhase: OperationStep | undefined;
    const closePhase = () => {
      if (openPhase?.state === 'running') end(openPhase, 'done');
      openPhase = undefined;
    };
    const finish = (state: 'done' | 'failed', error?: string) => {
      if (view.state !== 'running') return;
      if (state === 'done') closePhase();
      for (const step of view.steps) if (step.state === 'running') end(step, state);
      view.state = state;
      view.elapsedMs = now() - entry.started;
      if (error) view.error = error;
      view.retryable = state === 'failed' && Boolean(entry.retry);
      prune();
      changed();
    };
    return {
      id: view.id,
      phase(name) {
        closePhase();
        openPhase = stepNamed(name);
        changed();
      },
      progress(p) {
        if (openPhase && openPhase.title !== p.step) closePhase();
        const step = stepNamed(p.step);
        if (p.detail) step.detail = p.detail;
        if (p.bytes) step.bytes = p.bytes;
        if (p.state !== 'running') end(step, p.state, p.elapsedMs);
        if (p.error) step.error = p.error;
        changed();
      },
      succeed: () => finish('done'),
      fail: (err) => finish('failed', err instanceof Error ? err.message : String(err)),
    };
  };

  return {
    begin,
    list: () => ({ operations: entries.map((e) => structuredClone(e.view)) }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async retry(id) {
      const entry = entries.find((e) => e.view.id === id);
      if (!entry?.retry || entry.view.state !== 'failed') {
        throw new OperationNotRetryableError(`operation ${id} has not failed or cannot be run again`);
      }
      const retry = entry.retry;
      entries.splice(entries.indexOf(entry), 1);
      changed();
      // The new run registers its own operation; its outcome shows there, not as this call's result.
      void retry().catch(() => {});
    },
  };
}
