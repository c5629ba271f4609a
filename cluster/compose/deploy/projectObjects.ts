import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { composeKinds } from './composeKinds';
import { composeProjectLabel } from './composeLabels';
import { toPlain } from './kubeClient';

// The objects of one compose project in the cluster, found by its label among the kinds `up` applies.

/** In `namespace`, or in every namespace when it is undefined. */
export async function listProjectObjects(
  client: KubernetesObjectApi,
  project: string,
  namespace?: string,
): Promise<KubernetesObject[]> {
  const selector = `${composeProjectLabel}=${project}`;
  const lists = await Promise.all(
    composeKinds.map(async ({ apiVersion, kind }) => {
      const list = await client.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        selector,
      );
      // Lists leave apiVersion and kind off their items.
      return list.items.map((item) => ({ ...toPlain(item), apiVersion, kind }));
    }),
  );
  return lists.flat();
}

/** Namespaces `up` created for the project (an existing namespace is never labelled), not yet being deleted. */
export async function listProjectNamespaces(client: KubernetesObjectApi, project: string): Promise<string[]> {
  const list = await client.list(
    'v1',
    'Namespace',
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    `${composeProjectLabel}=${project}`,
  );
  // One already being deleted (its contents go first) is not removed a second time.
  return list.items
    .filter((n) => !n.metadata?.deletionTimestamp)
    .map((n) => n.metadata?.name ?? '')
    .filter(Boolean);
}
