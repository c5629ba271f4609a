// The pods/eviction decision, as kube-apiserver's EvictionREST makes it before deleting the pod:
// pods that are not running (or already being deleted) go freely; otherwise the one budget
// selecting the pod must allow a disruption, which the eviction then uses up (disruptionsAllowed
// decremented, the pod recorded in disruptedPods so the controller stops counting it healthy).
// A refused eviction is 429 TooManyRequests, which `kubectl drain` retries.
// https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/

import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { RestContext } from '../../api/rest/restContext';
import { timestamp } from '../../api/rest/restContext';
import { forbidden, internalError, notFound, tooManyRequests } from '../../api/status';
import { isPodReady } from '../endpoints/servicePods';
import { ClusterClient } from '../runtime/clusterClient';
import { resources } from '../runtime/resources';
import { budgetSelects, disruptionAllowedCondition } from './disruptionBudget';

const refusal = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Evictions not yet confirmed by the controller beyond which further ones are refused. */
const maxDisruptedPods = 2000;
const budgetResource = { group: 'policy', resource: 'poddisruptionbudgets' };

function deniedMessage(pdb: V1PodDisruptionBudget): string {
  const name = pdb.metadata?.name;
  const status = pdb.status;
  const condition = status?.conditions?.find((c) => c.type === disruptionAllowedCondition);
  if (condition?.status === 'False' && condition.message && condition.reason === 'SyncFailed') {
    return `The disruption budget ${name} does not allow evicting pods currently because it failed sync: ${condition.message}`;
  }
  if ((status?.currentHealthy ?? 0) <= (status?.desiredHealthy ?? 0)) {
    return `The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`;
  }
  if (condition?.status === 'False' && condition.message) {
    return `The disruption budget ${name} does not allow evicting pods currently (${condition.reason}): ${condition.message}`;
  }
  return `The disruption budget ${name} does not allow evicting pods currently`;
}

function refused(message: string) {
  return tooManyRequests(refusal, 10, [{ reason: 'DisruptionBudget', message }]);
}

/** Pods that are not running, or already going, need no budget's consent. */
function canIgnoreBudgets(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === 'Pending' ||
    Boolean(pod.metadata?.deletionTimestamp)
  );
}

/** Resolves when the pod may be evicted (and its budget has been charged); throws the API error otherwise. */
export async function admitEviction(rest: RestContext, namespace: string, name: string): Promise<void> {
  const client = new ClusterClient(rest, 'kube-apiserver');
  const pod = await client.resource(resources.pods).get(namespace, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  if (canIgnoreBudgets(pod)) return;
  const budgets = client.resource(resources.podDisruptionBudgets);
  const matching = (await budgets.list(namespace)).items.filter((pdb) => budgetSelects(pdb, pod));
  if (matching.length === 0) return;
  if (matching.length > 1) {
    throw internalError(
      new Error(
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      ),
    );
  }
  const pdb = matching[0] as V1PodDisruptionBudget;
  if (!isPodReady(pod)) {
    // An unready pod adds nothing to the budget: it may go when the policy says so, or while the
    // budget is met anyway (IfHealthyBudget, the default).
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return;
    const status = pdb.status;
    if (status && status.desiredHealthy > 0 && status.currentHealthy >= status.desiredHealthy) return;
  }
  await budgets.mutate(
    namespace,
    pdb.metadata?.name ?? '',
    (live) => {
      const status = live.status;
      const pdbName = live.metadata?.name ?? '';
      if (!status || (status.observedGeneration ?? 0) < (live.metadata?.generation ?? 0)) {
        throw refused(`The disruption budget ${pdbName} is still being processed by the server.`);
      }
      if (status.disruptionsAllowed < 0)
        throw forbidden(budgetResource, pdbName, 'pdb disruptions allowed is negative');
      if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPods) {
        throw forbidden(
          budgetResource,
          pdbName,
          'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
        );
      }
      if (status.disruptionsAllowed === 0) throw refused(deniedMessage(live));
      status.disruptionsAllowed -= 1;
      if (status.disruptionsAllowed === 0) {
        status.conditions = (status.conditions ?? []).map((c) =>
          c.type === disruptionAllowedCondition && c.status !== 'False'
            ? {
                ...c,
                status: 'False',
                reason: 'InsufficientPods',
                lastTransitionTime: timestamp(rest.now()) as unknown as Date,
              }
            : c,
        );
      }
      status.disruptedPods = { ...status.disruptedPods, [name]: timestamp(rest.now()) as unknown as Date };
      return live;
    },
    { subresource: 'status' },
  );
}
