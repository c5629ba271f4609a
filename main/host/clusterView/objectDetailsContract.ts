import { z } from 'zod';
import { rowHealthSchema, viewResourceSchema } from './clusterViewContract';

// The details drawer's part of the AppApi contract: applying YAML (server-side apply, as
// `kubectl apply --server-side`), the objects related to one object, and a pod's log stream.

export const applyArgsSchema = z
  .object({
    /** One or more YAML documents (`---` separated). */
    yaml: z.string(),
    /** The namespace of documents that name none (kubectl's `-n`); default `default`. */
    namespace: z.string().optional(),
    /** Take ownership of fields other managers own instead of failing with a conflict. */
    force: z.boolean().default(false),
  })
  .strict();

/** One problem the API server named, with the field it is about when it said which. */
export const fieldCauseSchema = z.object({
  /** Path in the object, as Kubernetes prints it: `spec.replicas`, `spec.containers[0].image`. */
  field: z.string().optional(),
  reason: z.string().optional(),
  message: z.string(),
});

export const applyFailureSchema = z.object({
  /** Which YAML document (0-based) failed. */
  document: z.number().int().nonnegative(),
  kind: z.string().optional(),
  name: z.string().optional(),
  /** HTTP status of the API server's answer; 0 when the YAML never reached it. */
  code: z.number().int(),
  reason: z.string(),
  message: z.string(),
  causes: z.array(fieldCauseSchema),
  /** Set for YAML syntax errors: the 1-based line in the whole text. */
  line: z.number().int().positive().optional(),
  /** Fields owned by other managers: applying again with `force` takes them over. */
  conflict: z.boolean(),
});

export const appliedObjectSchema = z.object({
  document: z.number().int().nonnegative(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  /** The dashboard page that shows it, when there is one. */
  resource: viewResourceSchema.optional(),
  outcome: z.enum(['created', 'configured']),
});

/** Every document is checked (dry run) before any is written, so a failure changes nothing;
 * `applied` on a failure lists what was written before an object changed under the apply. */
export const applyResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), applied: z.array(appliedObjectSchema) }),
  z.object({
    ok: z.literal(false),
    failures: z.array(applyFailureSchema),
    applied: z.array(appliedObjectSchema),
  }),
]);

export const relatedRefSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  /** The dashboard resource to open it with; absent for kinds the dashboard does not show. */
  resource: viewResourceSchema.optional(),
  /** A short state, e.g. a pod's STATUS column. */
  status: z.string().optional(),
  health: rowHealthSchema,
});

export const relatedEventSchema = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number().int(),
  /** When it last happened (ISO time), for the age shown. */
  last: z.string().optional(),
  source: z.string().optional(),
});

export const relatedObjectsSchema = z.object({
  owners: z.array(relatedRefSchema),
  /** Pods this object owns (directly or through its ReplicaSets/Jobs), selects, or runs. */
  pods: z.array(relatedRefSchema),
  /** How `pods` were found, e.g. `selected by app=web`; absent when the kind has no pods. */
  podsVia: z.string().optional(),
  /** Newest first, at most `relatedEventLimit`. */
  events: z.array(relatedEventSchema),
});

export const podLogsArgsSchema = z
  .object({
    namespace: z.string(),
    pod: z.string(),
    container: z.string(),
    follow: z.boolean().default(true),
    previous: z.boolean().default(false),
    timestamps: z.boolean().default(false),
    /** Lines of history to start with (kubectl's `--tail`). */
    tailLines: z.number().int().positive().max(100_000).default(1000),
  })
  .strict();

export const podLogsDataSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('lines'),
    lines: z.array(z.string()),
    /** Lines dropped before these because they came faster than a batch may hold. */
    skipped: z.number().int().positive().optional(),
  }),
  /** The API server (or the kubelet behind it) refused or the stream broke: its message as is. */
  z.object({ type: z.literal('error'), message: z.string() }),
  /** The stream ended (not following, or the container stopped). */
  z.object({ type: z.literal('end') }),
]);

export type ApplyArgs = z.input<typeof applyArgsSchema>;
export type ApplyResult = z.infer<typeof applyResultSchema>;
export type ApplyFailure = z.infer<typeof applyFailureSchema>;
export type AppliedObject = z.infer<typeof appliedObjectSchema>;
export type FieldCause = z.infer<typeof fieldCauseSchema>;
export type RelatedRef = z.infer<typeof relatedRefSchema>;
export type RelatedEvent = z.infer<typeof relatedEventSchema>;
export type RelatedObjects = z.infer<typeof relatedObjectsSchema>;
export type PodLogsArgs = z.input<typeof podLogsArgsSchema>;
export type PodLogsData = z.infer<typeof podLogsDataSchema>;
