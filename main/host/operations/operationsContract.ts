import { z } from 'zod';

// Long work the host does (cluster start and reset, node image build, compose deploy), as steps
// with elapsed time, for the status bar and its popover.

export const operationStateSchema = z.enum(['running', 'done', 'failed']);

export const operationStepSchema = z.object({
  title: z.string(),
  state: operationStateSchema,
  elapsedMs: z.number().optional(),
  /** A short note ("cached", "privileged") or the latest message of the step. */
  detail: z.string().optional(),
  bytes: z.number().optional(),
  error: z.string().optional(),
});

export const operationSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: operationStateSchema,
  /** ISO time; the UI counts elapsed time from it while the operation runs. */
  startedAt: z.string(),
  /** Set once the operation has ended. */
  elapsedMs: z.number().optional(),
  error: z.string().optional(),
  steps: z.array(operationStepSchema),
  /** A failed operation that can be run again with the same inputs. */
  retryable: z.boolean(),
});

export const operationListSchema = z.object({
  /** Newest first; a bounded number of ended ones are kept. */
  operations: z.array(operationSchema),
});

export const operationRefSchema = z.object({ id: z.string() }).strict();

export const operationsMethods = {
  /** Runs a failed operation again; resolves when the new run has started. */
  retry: { input: operationRefSchema, output: z.null() },
} as const;

export const operationsTopics = {
  operations: { args: z.object({}).strict(), data: operationListSchema },
} as const;

export type OperationView = z.infer<typeof operationSchema>;
export type OperationStep = z.infer<typeof operationStepSchema>;
export type OperationList = z.infer<typeof operationListSchema>;
