import { z } from 'zod';

// The compose import's part of the AppApi contract: convert a compose project (uploaded files or
// paths on the host) into objects grouped by service, deploy it, remove it, and list it.

const uploadedFileSchema = z.object({
  /** A bare file name: uploads have no folders. */
  name: z.string().min(1),
  content: z.string(),
});

export const composeSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('upload'),
      /** Compose files and what they refer to (.env, env_file, config files), by name. */
      files: z.array(uploadedFileSchema).min(1),
      /** Which files are compose files, in merge order; default every .yml/.yaml file, in upload order. */
      composeFiles: z.array(z.string()).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('paths'), files: z.array(z.string().min(1)).min(1) }).strict(),
]);

export const composeOptionsSchema = z
  .object({
    namespace: z.string().optional(),
    /** Unset: what each service asks for (Deployment; Pod for `restart: no`; labels). */
    controller: z.enum(['deployment', 'statefulset', 'daemonset']).optional(),
    volumes: z.enum(['pvc', 'hostPath', 'emptyDir']).default('pvc'),
    servicesWithoutPorts: z.boolean().default(false),
    profiles: z.array(z.string()).default([]),
    projectName: z.string().optional(),
  })
  .strict();

export const composeConvertSchema = z
  .object({ source: composeSourceSchema, options: composeOptionsSchema.prefault({}) })
  .strict();

export const composeObjectViewSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  yaml: z.string(),
});

export const composeWarningViewSchema = z.object({
  key: z.string().optional(),
  message: z.string(),
  /** false: something kompose drops without a word. */
  kompose: z.boolean(),
});

export const composeServiceViewSchema = z.object({
  /** The compose service, or `shared` for objects several services (or none) use. */
  service: z.string(),
  objects: z.array(composeObjectViewSchema),
  warnings: z.array(composeWarningViewSchema),
});

export const composeErrorViewSchema = z.object({
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  keyPath: z.string().optional(),
});

export const composeConversionSchema = z.object({
  project: z.string(),
  namespace: z.string(),
  services: z.array(composeServiceViewSchema),
  /** Services whose images `up` builds with the host's Docker engine. */
  builds: z.array(z.string()),
  /** What the person should know about this conversion (e.g. uploads have no folder around them). */
  notices: z.array(z.string()),
  /** Set when the compose files are invalid; then `services` is empty. */
  error: composeErrorViewSchema.optional(),
});

export const composeUpSchema = composeConvertSchema
  .extend({
    /** Names this operation in `compose.progress` items; chosen by the host when absent. */
    opId: z.string().optional(),
    wait: z.boolean().default(true),
    timeoutSeconds: z.number().positive().max(3600).default(300),
  })
  .strict();

const objectRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});

export const composeUpResultSchema = z.object({
  opId: z.string(),
  project: z.string(),
  namespace: z.string(),
  services: z.array(
    z.object({
      service: z.string(),
      state: z.enum(['ready', 'applied', 'failed']),
      message: z.string(),
      objects: z.array(objectRefSchema),
      addresses: z.array(z.string()),
    }),
  ),
});

export const composeDownSchema = z
  .object({
    project: z.string().min(1),
    namespace: z.string().optional(),
    volumes: z.boolean().default(false),
  })
  .strict();

export const composeDownResultSchema = z.object({
  removed: z.array(objectRefSchema),
  kept: z.array(objectRefSchema),
});

export const composeStatusSchema = z
  .object({ project: z.string().min(1), namespace: z.string().optional() })
  .strict();

export const composeStatusResultSchema = z.object({
  rows: z.array(
    z.object({
      service: z.string(),
      kind: z.string(),
      name: z.string(),
      namespace: z.string(),
      state: z.enum(['ready', 'progressing', 'failed']),
      status: z.string(),
      addresses: z.array(z.string()),
    }),
  ),
});

export const composeProgressSchema = z.object({
  opId: z.string(),
  project: z.string(),
  service: z.string(),
  phase: z.enum(['build', 'apply', 'rollout', 'remove']),
  state: z.enum(['running', 'done', 'failed']),
  message: z.string().optional(),
  error: z.string().optional(),
});

export type ComposeSource = z.infer<typeof composeSourceSchema>;
export type ComposeOptionsInput = z.input<typeof composeOptionsSchema>;
export type ComposeConvertRequest = z.infer<typeof composeConvertSchema>;
export type ComposeConversion = z.infer<typeof composeConversionSchema>;
export type ComposeServiceView = z.infer<typeof composeServiceViewSchema>;
export type ComposeUpResultView = z.infer<typeof composeUpResultSchema>;
export type ComposeProgressView = z.infer<typeof composeProgressSchema>;
export type ComposeStatusRow = z.infer<typeof composeStatusResultSchema>['rows'][number];
