// Informer indexes the workload controllers look objects up by: namespace, the uid of the
// controller that owns them (the indexer Kubernetes' controllers call "controllerUID"), and the
// namespace of objects no controller owns, so a sync looks at its own objects and the orphans it
// might adopt instead of every object in the namespace.

import type { ApiObject } from '../runtime/apiObject';
import { byNamespace, type Informer, namespaceIndex } from '../runtime/informer';
import { controllerOf } from '../runtime/ownerReferences';

export const byControllerUid = 'controllerUid';

export function controllerUidIndex(obj: ApiObject): string[] {
  const ref = controllerOf(obj);
  return ref?.uid ? [ref.uid] : [];
}

export const orphansByNamespace = 'orphansByNamespace';

export function orphanNamespaceIndex(obj: ApiObject): string[] {
  return controllerOf(obj) ? [] : [obj.metadata?.namespace ?? ''];
}

/** What `owner` controls plus the orphans in its namespace: everything it may claim. */
export function claimCandidates<T extends ApiObject>(informer: Informer<T>, owner: ApiObject): T[] {
  const meta = owner.metadata ?? {};
  return [
    ...informer.byIndex(byControllerUid, meta.uid ?? ''),
    ...informer.byIndex(orphansByNamespace, meta.namespace ?? ''),
  ];
}

export function ensureControllerIndexes<T extends ApiObject>(informer: Informer<T>): void {
  if (!informer.hasIndex(byNamespace)) informer.addIndex(byNamespace, namespaceIndex);
  if (!informer.hasIndex(byControllerUid)) informer.addIndex(byControllerUid, controllerUidIndex);
  if (!informer.hasIndex(orphansByNamespace)) informer.addIndex(orphansByNamespace, orphanNamespaceIndex);
}
