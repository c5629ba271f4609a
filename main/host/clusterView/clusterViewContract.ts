import { z } from 'zod';

// The dashboard's part of the AppApi contract: live tables of cluster objects, with the columns
// `kubectl get -o wide` prints, streamed as a snapshot and then batched changes.

export const viewResourceSchema = z.enum([
  'pods',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
  'services',
  'endpoints',
  'ingresses',
  'networkpolicies',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'persistentvolumes',
  'storageclasses',
  'nodes',
  'events',
  'namespaces',
]);

export const tableArgsSchema = z
  .object({
    resource: viewResourceSchema,
    /** Only this namespace's objects; all namespaces when absent. */
    namespace: z.string().optional(),
  })
  .strict();

export const tableColumnSchema = z.object({
  name: z.string(),
  /** OpenAPI type of the cells: string, integer, number, boolean or date. */
  type: z.string(),
  description: z.string(),
  /** 0: always shown; 1: the `-o wide` columns. */
  priority: z.number().int(),
});

/** How a row is coloured: ok (green), progress (blue), warning (amber), error (red), done (grey). */
export const rowHealthSchema = z.enum(['ok', 'progress', 'warning', 'error', 'done', 'none']);

export const tableRowSchema = z.object({
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  key: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  /** creationTimestamp, so the page can keep AGE current without new rows. */
  created: z.string().optional(),
  cells: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  health: rowHealthSchema,
});

export const tableUpdateSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('reset'),
    /** False while no cluster runs; `message` says why. */
    available: z.boolean(),
    message: z.string().optional(),
    columns: z.array(tableColumnSchema),
    rows: z.array(tableRowSchema),
  }),
  z.object({
    type: z.literal('changes'),
    upserts: z.array(tableRowSchema),
    removes: z.array(z.string()),
  }),
]);

export const objectRefSchema = z
  .object({ resource: viewResourceSchema, namespace: z.string().optional(), name: z.string() })
  .strict();

export type ViewResource = z.infer<typeof viewResourceSchema>;
export type TableArgs = z.infer<typeof tableArgsSchema>;
export type TableColumn = z.infer<typeof tableColumnSchema>;
export type TableRowView = z.infer<typeof tableRowSchema>;
export type TableUpdate = z.infer<typeof tableUpdateSchema>;
export type RowHealth = z.infer<typeof rowHealthSchema>;
export type ObjectRef = z.infer<typeof objectRefSchema>;
