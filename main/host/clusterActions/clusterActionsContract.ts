import { z } from 'zod';
import { viewResourceSchema } from '../clusterView/clusterViewContract';

// The dashboard's actions on objects, as kubectl offers them: scale, rollout restart and undo,
// cordon/uncordon/drain, delete with a propagation policy, and port-forward to localhost.

const name = z.string().min(1);
const namespace = z.string().min(1);

export const scalableResourceSchema = z.enum(['deployments', 'statefulsets', 'replicasets']);
export const rolloutResourceSchema = z.enum(['deployments', 'statefulsets', 'daemonsets']);

export const scaleSchema = z
  .object({ resource: scalableResourceSchema, namespace, name, replicas: z.number().int().min(0) })
  .strict();

export const workloadRefSchema = z.object({ resource: rolloutResourceSchema, namespace, name }).strict();

export const revisionSchema = z.object({
  revision: z.number().int(),
  /** The ReplicaSet or ControllerRevision holding it. */
  source: z.string(),
  created: z.string().optional(),
  images: z.array(z.string()),
  /** `kubernetes.io/change-cause`, when someone recorded one. */
  changeCause: z.string().optional(),
  current: z.boolean(),
});

export const rollbackSchema = workloadRefSchema
  .extend({
    /** 0: the revision before the current one, as `kubectl rollout undo`. */ revision: z
      .number()
      .int()
      .min(0),
  })
  .strict();

export const rollbackResultSchema = z.object({
  /** The revision whose template is now the workload's. */
  revision: z.number().int(),
  /** True when the template already matched and nothing was written. */
  skipped: z.boolean(),
  message: z.string(),
});

export const cordonSchema = z.object({ name, unschedulable: z.boolean() }).strict();

export const drainSchema = z
  .object({
    name,
    /** Also evict pods no controller will recreate (kubectl drain --force). */
    force: z.boolean().default(false),
    /** Also evict pods with emptyDir data, which is lost (kubectl drain --delete-emptydir-data). */
    deleteEmptyDirData: z.boolean().default(false),
    /** How long to keep retrying evictions a disruption budget refuses. */
    timeoutSeconds: z.number().int().min(1).max(600).default(30),
  })
  .strict();

export const podOutcomeSchema = z.object({ pod: z.string(), reason: z.string() });

export const drainResultSchema = z.object({
  evicted: z.array(z.string()),
  /** DaemonSet and mirror pods, which drain leaves where they are. */
  skipped: z.array(podOutcomeSchema),
  /** Pods that were not evicted, and why (a disruption budget, unmanaged, local data). */
  failed: z.array(podOutcomeSchema),
});

export const propagationPolicySchema = z.enum(['Background', 'Foreground', 'Orphan']);

export const deleteSchema = z
  .object({
    resource: viewResourceSchema,
    namespace: z.string().optional(),
    name,
    propagationPolicy: propagationPolicySchema,
  })
  .strict();

export const portForwardSchema = z
  .object({
    namespace,
    /** `pod/<name>`, `svc/<name>` or `deploy/<name>`, as kubectl port-forward takes it. */
    target: z.string().regex(/^(pod|pods|svc|service|services|deploy|deployment|deployments)\/[^/]+$/),
    /** 0 picks a free port. */
    localPort: z.number().int().min(0).max(65535),
    remotePort: z.number().int().min(1).max(65535),
  })
  .strict();

export const portForwardViewSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  target: z.string(),
  localPort: z.number().int(),
  remotePort: z.number().int(),
  url: z.string(),
});

export const portForwardRefSchema = z.object({ id: z.string() }).strict();

export type ScaleRequest = z.infer<typeof scaleSchema>;
export type WorkloadRef = z.infer<typeof workloadRefSchema>;
export type RevisionView = z.infer<typeof revisionSchema>;
export type RollbackRequest = z.infer<typeof rollbackSchema>;
export type RollbackResult = z.infer<typeof rollbackResultSchema>;
export type DrainRequest = z.infer<typeof drainSchema>;
export type DrainResult = z.infer<typeof drainResultSchema>;
export type PodOutcome = z.infer<typeof podOutcomeSchema>;
export type DeleteRequest = z.infer<typeof deleteSchema>;
export type PortForwardRequest = z.infer<typeof portForwardSchema>;
export type PortForwardView = z.infer<typeof portForwardViewSchema>;

const ok = z.null();

/** The `actions` group of the AppApi contract. */
export const clusterActionsMethods = {
  scale: { input: scaleSchema, output: ok },
  /** `kubectl rollout restart`. */
  restart: { input: workloadRefSchema, output: ok },
  /** `kubectl rollout history`, newest first. */
  history: { input: workloadRefSchema, output: z.array(revisionSchema) },
  /** `kubectl rollout undo --to-revision`. */
  rollback: { input: rollbackSchema, output: rollbackResultSchema },
  /** `kubectl cordon` (unschedulable true) and `uncordon`. */
  cordon: { input: cordonSchema, output: ok },
  drain: { input: drainSchema, output: drainResultSchema },
  delete: { input: deleteSchema, output: ok },
  /** `kubectl port-forward` to 127.0.0.1; runs until stopped or the host stops. */
  portForward: { input: portForwardSchema, output: portForwardViewSchema },
  stopPortForward: { input: portForwardRefSchema, output: ok },
  portForwards: { input: z.object({}).strict(), output: z.array(portForwardViewSchema) },
} as const;
