import { z } from 'zod';

// The Dashboard's Start/Stop/Restart/Reset control: the same ClusterManager the CLI's host runs.

const none = z.object({}).strict();

export const resetSchema = z
  .object({
    /** The cluster's name typed by the person, as a confirmation. */
    confirm: z.string(),
  })
  .strict();

export const clusterControlMethods = {
  start: { input: none, output: z.null() },
  stop: { input: none, output: z.null() },
  restart: { input: none, output: z.null() },
  /** Stops the cluster, removes its nodes, volumes, network and state, and starts it afresh. */
  reset: { input: resetSchema, output: z.null() },
  /** What Reset asks to be typed. */
  info: { input: none, output: z.object({ name: z.string(), controllable: z.boolean() }) },
} as const;
