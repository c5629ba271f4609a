import { randomUUID } from 'node:crypto';
import { type Logger, nullLogger } from '../log';
import { engineReason } from './providers/engineErrors';

// Long operations are ordered steps run here: progress events per step, and on failure the
// cleanups registered by the steps that ran, in reverse, unless the caller keeps what was made.

/**
 * Progress of one step. Each `running` step later gets exactly one `done` or `failed`; a step moving
 * bytes (image build, sideload) may repeat `running` with updated `bytes`/`elapsedMs` in between.
 */
export interface Progress {
  opId: string;
  step: string;
  index: number;
  total: number;
  state: 'running' | 'done' | 'failed';
  error?: string;
  /** Bytes moved so far by this step. */
  bytes?: number;
  elapsedMs?: number;
  /** A short note from the step ("cached", "privileged"). */
  detail?: string;
}

export type ProgressListener = (progress: Progress) => void;

/** An error that names the step it happened in; its `cause` is the original error. */
export class StepError extends Error {
  /** The innermost step that failed. */
  readonly step: string;
  /** Reason of the engine error underneath, e.g. `Conflict`. */
  readonly code?: string;

  constructor(step: string, options: { cause: unknown }) {
    const cause = options.cause;
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StepError';
    this.step = cause instanceof StepError ? cause.step : step;
    const code = cause instanceof StepError ? cause.code : engineReason(cause);
    if (code) this.code = code;
  }
}

export interface StepContext {
  /** Registers an undo for something this step created; run in reverse order if the operation fails. */
  onCleanup(cleanup: () => Promise<void>): void;
  /** Reports bytes moved or a note while the step runs. */
  report(update: { bytes?: number; detail?: string }): void;
  signal?: AbortSignal;
}

export interface Step {
  title: string;
  run(ctx: StepContext): Promise<void>;
}

/** A step, or a group of steps run concurrently (e.g. one per node). */
export type StepEntry = Step | Step[];

export interface RunStepsOptions {
  /** Names the operation in errors: "create cluster kubedesk". */
  title: string;
  opId?: string;
  onProgress?: ProgressListener;
  keepOnFailure?: boolean;
  signal?: AbortSignal;
  log?: Logger;
  now?: () => number;
}

const newOpId = () => `op-${randomUUID().slice(0, 8)}`;

export async function runSteps(steps: StepEntry[], options: RunStepsOptions): Promise<void> {
  const opId = options.opId ?? newOpId();
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? nullLogger;
  const total = steps.reduce((n, entry) => n + (Array.isArray(entry) ? entry.length : 1), 0);
  const cleanups: { step: string; cleanup: () => Promise<void> }[] = [];
  const emit = (progress: Omit<Progress, 'opId' | 'total'>) =>
    options.onProgress?.({ opId, total, ...progress });

  const runOne = async (step: Step, index: number) => {
    const started = now();
    const elapsedMs = () => Math.round(now() - started);
    emit({ step: step.title, index, state: 'running' });
    try {
      options.signal?.throwIfAborted();
      await step.run({
        onCleanup: (cleanup) => cleanups.push({ step: step.title, cleanup }),
        report: (update) =>
          emit({ step: step.title, index, state: 'running', elapsedMs: elapsedMs(), ...update }),
        signal: options.signal,
      });
      emit({ step: step.title, index, state: 'done', elapsedMs: elapsedMs() });
    } catch (err) {
      const error = new StepError(step.title, { cause: err });
      emit({ step: step.title, index, state: 'failed', error: error.message, elapsedMs: elapsedMs() });
      throw error;
    }
  };

  let index = 0;
  try {
    for (const entry of steps) {
      const group = Array.isArray(entry) ? entry : [entry];
      const results = await Promise.allSettled(group.map((step) => runOne(step, index++)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (err) {
    if (!options.keepOnFailure) {
      for (const { step, cleanup } of cleanups.reverse()) {
        // The operation's own error is what the caller needs; a failed undo is only worth a warning.
        await cleanup().catch((cleanupErr: unknown) =>
          log.warn('cleanup after a failed step failed', {
            op: options.title,
            step,
            error: String(cleanupErr),
          }),
        );
      }
    }
    throw new StepError(options.title, { cause: err });
  }
}
