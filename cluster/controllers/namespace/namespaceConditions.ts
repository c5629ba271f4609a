// The status conditions a Terminating namespace carries, with the types, reasons and messages
// kube-controller-manager's namespace deleter writes (pkg/controller/namespace/deletion/
// status_condition_utils.go): each type is always present, True with what is wrong or False with
// the all-clear, and lastTransitionTime moves only when the status flips.

import type { V1NamespaceCondition } from '@kubernetes/client-node';
import { timestamp } from '../../api/rest/restContext';

/** What one pass of content deletion found. */
export interface ContentOutcome {
  /** "<resource>.<group>" → objects still present (core resources print as "pods."). */
  remaining: Map<string, number>;
  /** finalizer → objects still held by it. */
  finalizers: Map<string, number>;
  /** One message per resource whose deletion failed. */
  failures: string[];
}

type ConditionType =
  | 'NamespaceDeletionDiscoveryFailure'
  | 'NamespaceDeletionGroupVersionParsingFailure'
  | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining'
  | 'NamespaceFinalizersRemaining';

const allClear: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: {
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  NamespaceDeletionGroupVersionParsingFailure: {
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  NamespaceDeletionContentFailure: {
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

function counted(counts: Map<string, number>, describe: (name: string, n: number) => string): string {
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([name, n]) => describe(name, n))
    .sort()
    .join(', ');
}

function problems(
  outcome: ContentOutcome,
): Partial<Record<ConditionType, { reason: string; message: string }>> {
  const out: Partial<Record<ConditionType, { reason: string; message: string }>> = {};
  if (outcome.failures.length > 0) {
    out.NamespaceDeletionContentFailure = {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${outcome.failures.length} remaining: ${[...outcome.failures].sort().join(', ')}`,
    };
  }
  const remaining = counted(outcome.remaining, (name, n) => `${name} has ${n} resource instances`);
  if (remaining) {
    out.NamespaceContentRemaining = {
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining}`,
    };
  }
  const finalizers = counted(outcome.finalizers, (name, n) => `${name} in ${n} resource instances`);
  if (finalizers) {
    out.NamespaceFinalizersRemaining = {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers}`,
    };
  }
  return out;
}

/** The namespace's conditions after `outcome`; undefined when nothing would change. */
export function namespaceConditions(
  current: readonly V1NamespaceCondition[],
  outcome: ContentOutcome,
  now: Date,
): V1NamespaceCondition[] | undefined {
  const found = problems(outcome);
  const next = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of Object.keys(allClear) as ConditionType[]) {
    const problem = found[type];
    const want = { status: problem ? 'True' : 'False', ...(problem ?? allClear[type]) };
    const old = next.find((c) => c.type === type);
    if (!old) {
      next.push({ type, ...want, lastTransitionTime: timestamp(now) as unknown as Date });
      changed = true;
    } else if (old.status !== want.status || old.reason !== want.reason || old.message !== want.message) {
      if (old.status !== want.status) old.lastTransitionTime = timestamp(now) as unknown as Date;
      Object.assign(old, want);
      changed = true;
    }
  }
  return changed ? next : undefined;
}
