import type { V1ControllerRevision, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { revisionTemplate } from '../../../cluster/controllers/history/templatePatch';
import type { RevisionView } from './clusterActionsContract';

// A workload's rollout history and the revision `kubectl rollout undo --to-revision` picks from it:
// a Deployment's revisions are its ReplicaSets (annotation deployment.kubernetes.io/revision), a
// StatefulSet's or DaemonSet's its ControllerRevisions. Revision 0 means "the one before the
// newest". Messages are kubectl's (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go).

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
const changeCauseAnnotation = 'kubernetes.io/change-cause';
const podTemplateHashLabel = 'pod-template-hash';

export interface HistoryEntry<T> {
  revision: number;
  source: T;
  template: V1PodTemplateSpec;
}

export class RollbackError extends Error {
  override name = 'RollbackError';
  readonly code = 'RollbackRefused';
}

const byRevision = <T>(a: HistoryEntry<T>, b: HistoryEntry<T>) => a.revision - b.revision;

/** The ReplicaSets that carry a revision, oldest first. */
export function replicaSetHistory(replicaSets: V1ReplicaSet[]): HistoryEntry<V1ReplicaSet>[] {
  return replicaSets
    .map((rs) => ({
      revision: Number(rs.metadata?.annotations?.[revisionAnnotation]),
      source: rs,
      template: rs.spec?.template ?? {},
    }))
    .filter((entry) => Number.isInteger(entry.revision))
    .sort(byRevision);
}

export function controllerRevisionHistory(
  revisions: V1ControllerRevision[],
): HistoryEntry<V1ControllerRevision>[] {
  return revisions
    .map((cr) => ({ revision: cr.revision, source: cr, template: revisionTemplate(cr.data) }))
    .sort(byRevision);
}

/** The revision a rollback goes to; throws kubectl's error when there is none. */
export function selectRevision<T>(
  history: HistoryEntry<T>[],
  toRevision: number,
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  name: string,
): HistoryEntry<T> {
  if (toRevision > 0) {
    const found = history.find((entry) => entry.revision === toRevision);
    if (!found) throw new RollbackError(`unable to find specified revision ${toRevision} in history`);
    return found;
  }
  const previous = history[history.length - 2];
  if (!previous) {
    throw new RollbackError(
      kind === 'Deployment'
        ? `no rollout history found for deployment "${name}"`
        : 'no last revision to roll back to',
    );
  }
  return previous;
}

/** A template without the ReplicaSet's hash label, for comparing with the Deployment's. */
export function withoutHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[podTemplateHashLabel];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** Deep equality that ignores key order and treats absent and empty maps/lists alike, as
 * apimachinery's semantic equality does for the template fields that matter here. */
export function sameTemplate(a: V1PodTemplateSpec, b: V1PodTemplateSpec): boolean {
  return canonical(withoutHash(a)) === canonical(withoutHash(b));
}

function canonical(value: unknown): string {
  return JSON.stringify(normalize(value)) ?? '';
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, normalize(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value ?? undefined;
}

function images(template: V1PodTemplateSpec): string[] {
  return [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])]
    .map((c) => c.image ?? '')
    .filter(Boolean);
}

/** The history as the drawer lists it, newest first, marking the one the workload runs now. */
export function revisionViews<T extends V1ReplicaSet | V1ControllerRevision>(
  history: HistoryEntry<T>[],
  currentTemplate: V1PodTemplateSpec,
): RevisionView[] {
  return [...history].reverse().map((entry) => {
    const meta = entry.source.metadata;
    const view: RevisionView = {
      revision: entry.revision,
      source: meta?.name ?? '',
      images: images(entry.template),
      current: sameTemplate(entry.template, currentTemplate),
    };
    if (meta?.creationTimestamp) view.created = new Date(meta.creationTimestamp).toISOString();
    const cause = meta?.annotations?.[changeCauseAnnotation];
    if (cause) view.changeCause = cause;
    return view;
  });
}

/**
 * The annotations a Deployment gets back on rollback: its own bookkeeping ones kept, the rest taken
 * from the revision's ReplicaSet (kubectl's `annotationsToSkip`).
 */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export function rollbackAnnotations(
  deploymentAnnotations: Record<string, string> | undefined,
  replicaSetAnnotations: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(deploymentAnnotations ?? {})) if (annotationsToSkip.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(replicaSetAnnotations ?? {})) if (!annotationsToSkip.has(k)) out[k] = v;
  return out;
}
