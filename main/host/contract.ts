import { z } from 'zod';
import { clusterActionsMethods } from './clusterActions/clusterActionsContract';
import { clusterControlMethods } from './clusterActions/clusterControlContract';
import { objectRefSchema, tableArgsSchema, tableUpdateSchema } from './clusterView/clusterViewContract';
import {
  applyArgsSchema,
  applyResultSchema,
  podLogsArgsSchema,
  podLogsDataSchema,
  relatedObjectsSchema,
} from './clusterView/objectDetailsContract';
import {
  composeConversionSchema,
  composeConvertSchema,
  composeDownResultSchema,
  composeDownSchema,
  composeProgressSchema,
  composeStatusResultSchema,
  composeStatusSchema,
  composeUpResultSchema,
  composeUpSchema,
} from './compose/composeContract';
import { operationsMethods, operationsTopics } from './operations/operationsContract';
import { settingsPatchSchema, settingsSchema } from './settings';
import {
  terminalAckSchema,
  terminalOpenSchema,
  terminalOutputSchema,
  terminalRefSchema,
  terminalResizeSchema,
  terminalSessionSchema,
  terminalTargetsSchema,
  terminalWriteSchema,
} from './terminal/terminalContract';
import { usageTopics } from './usage/usageContract';

// The single contract between the renderer and the host. Both transports (Electron IPC and the
// headless WebSocket) are generated from this object, and both validate every message with it.

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const topic = <A extends z.ZodType, D extends z.ZodType>(args: A, data: D) => ({ args, data });

const none = z.object({}).strict();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  mode: z.enum(['desktop', 'headless']),
  dataDir: z.string(),
});

export const clusterStateSchema = z.enum(['stopped', 'starting', 'running', 'stopping', 'error']);

export const clusterStatusSchema = z.object({
  state: clusterStateSchema,
  /** What the state means in words, including the error when state is `error`. */
  message: z.string(),
  apiServerUrl: z.string().optional(),
  nodes: z.number().int().nonnegative(),
});

export const dockerStatusSchema = z.object({
  state: z.enum(['running', 'unreachable']),
  version: z.string().optional(),
  message: z.string(),
});

export const contract = {
  methods: {
    app: {
      info: method(none, appInfoSchema),
    },
    settings: {
      get: method(none, settingsSchema),
      update: method(settingsPatchSchema, settingsSchema),
    },
    cluster: {
      status: method(none, clusterStatusSchema),
      /** One object as the API server returns it, for the details drawer. */
      object: method(objectRefSchema, z.record(z.string(), z.unknown())),
      /** Owners, owned/selected/running pods and events of one object. */
      related: method(objectRefSchema, relatedObjectsSchema),
      /** Server-side apply of YAML documents; invalid input is a result, not a failure. */
      apply: method(applyArgsSchema, applyResultSchema),
    },
    docker: {
      status: method(none, dockerStatusSchema),
    },
    actions: clusterActionsMethods,
    clusterControl: clusterControlMethods,
    operations: operationsMethods,
    compose: {
      /** Invalid compose files are a result (`error` with file, line, key path), not a failure. */
      convert: method(composeConvertSchema, composeConversionSchema),
      /** Resolves when every service is ready (or failed); progress streams on `compose.progress`. */
      up: method(composeUpSchema, composeUpResultSchema),
      down: method(composeDownSchema, composeDownResultSchema),
      status: method(composeStatusSchema, composeStatusResultSchema),
    },
    terminal: {
      open: method(terminalOpenSchema, terminalSessionSchema),
      targets: method(none, terminalTargetsSchema),
      write: method(terminalWriteSchema, z.null()),
      resize: method(terminalResizeSchema, z.null()),
      ack: method(terminalAckSchema, z.null()),
      close: method(terminalRefSchema, z.null()),
    },
  },
  topics: {
    ...operationsTopics,
    ...usageTopics,
    'settings.changed': topic(none, settingsSchema),
    'cluster.status': topic(none, clusterStatusSchema),
    'docker.status': topic(none, dockerStatusSchema),
    /** A live table of one resource: a `reset` snapshot, then batched `changes`. */
    'cluster.table': topic(tableArgsSchema, tableUpdateSchema),
    /** A pod container's log, in line batches, from the API server's pods/log. */
    'cluster.podLogs': topic(podLogsArgsSchema, podLogsDataSchema),
    /** Every compose deploy and removal, per service and phase; filter by `opId`. */
    'compose.progress': topic(none, composeProgressSchema),
    /** A session's output; its only subscriber acknowledges what it rendered with `terminal.ack`. */
    'terminal.output': topic(terminalRefSchema, terminalOutputSchema),
  },
} as const;

export type AppInfo = z.infer<typeof appInfoSchema>;
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;
export type DockerStatus = z.infer<typeof dockerStatusSchema>;
