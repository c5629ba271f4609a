// Deleting what a Terminating namespace holds, one resource at a time as the namespace deleter
// does: delete every object not yet being deleted (Background propagation, so the garbage
// collector adds no orphan finalizer), then count what is still there and which finalizers hold it.

import { storedResources } from '../../api/lifecycle/storedResources';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';
import type { ApiObject } from '../runtime/apiObject';
import type { ClusterClient } from '../runtime/clusterClient';
import type { ContentOutcome } from './namespaceConditions';

/** Namespaced resources that can be listed and deleted, one per storage location. */
export function namespacedContentResources(catalog: ResourceCatalog): ResourceInfo[] {
  return storedResources(catalog).filter((r) => r.namespaced && r.verbs.includes('delete'));
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export async function deleteNamespaceContent(
  client: ClusterClient,
  resources: readonly ResourceInfo[],
  namespace: string,
): Promise<ContentOutcome> {
  const outcome: ContentOutcome = { remaining: new Map(), finalizers: new Map(), failures: [] };
  for (const info of resources) {
    const label = `${info.plural}.${info.group}`;
    const objects = client.resource<ApiObject>({
      group: info.group,
      version: info.version,
      plural: info.plural,
    });
    try {
      const { items } = await objects.list(namespace);
      if (items.length === 0) continue;
      for (const item of items) {
        if (item.metadata?.deletionTimestamp) continue;
        await objects.delete(namespace, item.metadata?.name ?? '', { propagationPolicy: 'Background' });
      }
      const left = (await objects.list(namespace)).items;
      if (left.length > 0) outcome.remaining.set(label, left.length);
      for (const item of left) for (const f of item.metadata?.finalizers ?? []) bump(outcome.finalizers, f);
    } catch (err) {
      outcome.failures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return outcome;
}
