import { z } from 'zod';

// Live CPU and memory for the Dashboard's node cards and the pod drawer: samples every few
// seconds over the last minutes, from the node containers' Docker stats (nodes) and the kubelet's
// stats summary (pods). Simulated nodes run no containers, so they have none.

export const usageSampleSchema = z.object({
  /** Epoch milliseconds. */
  t: z.number(),
  cpuCores: z.number(),
  memoryBytes: z.number(),
});

export const usageSeriesSchema = z.object({
  name: z.string(),
  available: z.boolean(),
  /** Why there is no usage (a simulated node, no cluster, an unreachable kubelet). */
  reason: z.string().optional(),
  samples: z.array(usageSampleSchema),
});

export const podUsageArgsSchema = z
  .object({ namespace: z.string().min(1), name: z.string().min(1) })
  .strict();

export const usageTopics = {
  /** Every node of the cluster; sent after each sampling round. */
  'usage.nodes': {
    args: z.object({}).strict(),
    data: z.object({ intervalMs: z.number(), nodes: z.array(usageSeriesSchema) }),
  },
  /** One pod, all its containers summed. */
  'usage.pod': {
    args: podUsageArgsSchema,
    data: z.object({ intervalMs: z.number(), pod: usageSeriesSchema }),
  },
} as const;

export type UsageSample = z.infer<typeof usageSampleSchema>;
export type UsageSeries = z.infer<typeof usageSeriesSchema>;
export type PodUsageArgs = z.infer<typeof podUsageArgsSchema>;
