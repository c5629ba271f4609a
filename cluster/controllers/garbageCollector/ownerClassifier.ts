// Sorts an object's owner references the way Kubernetes' garbage collector does before deciding
// anything: solid (the owner exists), dangling (no object with that uid exists: never created, or
// deleted and perhaps replaced by a namesake) and waiting (the owner is in Foreground deletion).
// The graph answers for owners it holds; for the rest a live read decides, since the graph may lag
// behind the store. Absent owners are remembered: a uid never comes back.
// https://kubernetes.io/docs/concepts/architecture/garbage-collection/#owners-dependents

import type { V1OwnerReference } from '@kubernetes/client-node';
import { foregroundFinalizer } from '../../api/rest/deleteObject';
import type { ResourceCatalog, ResourceInfo } from '../../registry/resourceCatalog';
import type { ApiObject } from '../runtime/apiObject';
import type { ClusterClient } from '../runtime/clusterClient';
import type { GraphNode, OwnerGraph } from './ownerGraph';

export interface ClassifiedOwners {
  solid: V1OwnerReference[];
  dangling: V1OwnerReference[];
  waiting: V1OwnerReference[];
}

/** Absent owners remembered; beyond this the oldest are forgotten (and read again if needed). */
const maxAbsent = 10_000;

/** The served resource for an owner reference: its exact apiVersion, else the same kind in any version of its group. */
function ownerResource(catalog: ResourceCatalog, apiVersion: string, kind: string): ResourceInfo | undefined {
  const exact = catalog.forKind(apiVersion, kind);
  if (exact) return exact;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return catalog.resources.find((r) => r.group === group && r.kind === kind);
}

export class OwnerClassifier {
  private readonly absent = new Map<string, true>();

  constructor(
    private readonly graph: OwnerGraph,
    private readonly client: ClusterClient,
  ) {}

  /** Records that no object with `uid` exists in `namespace` (undefined: cluster scope). */
  markAbsent(namespace: string | undefined, uid: string): void {
    const key = `${namespace ?? ''}/${uid}`;
    this.absent.delete(key);
    this.absent.set(key, true);
    if (this.absent.size > maxAbsent) this.absent.delete(this.absent.keys().next().value as string);
  }

  async classify(dependent: GraphNode, refs: readonly V1OwnerReference[]): Promise<ClassifiedOwners> {
    const out: ClassifiedOwners = { solid: [], dangling: [], waiting: [] };
    for (const ref of refs) {
      const state = await this.ownerState(dependent, ref);
      out[state].push(ref);
    }
    return out;
  }

  private async ownerState(dependent: GraphNode, ref: V1OwnerReference): Promise<keyof ClassifiedOwners> {
    const known = this.graph.get(ref.uid);
    // An owner in another namespace is no owner at all: the live read below finds nothing.
    if (known && (!known.namespace || known.namespace === dependent.namespace)) {
      return known.deletingDependents ? 'waiting' : 'solid';
    }
    const info = ownerResource(this.client.rest.catalog, ref.apiVersion, ref.kind);
    // A kind this server does not serve, or a namespaced owner named by a cluster-scoped object,
    // cannot be checked; Kubernetes leaves such dependents alone rather than guess.
    if (!info || (info.namespaced && !dependent.namespace)) return 'solid';
    const namespace = info.namespaced ? dependent.namespace : undefined;
    if (this.absent.has(`${namespace ?? ''}/${ref.uid}`)) return 'dangling';
    const owner = await this.client
      .resource<ApiObject>({ group: info.group, version: info.version, plural: info.plural })
      .get(namespace, ref.name);
    if (!owner || owner.metadata?.uid !== ref.uid) {
      this.markAbsent(namespace, ref.uid);
      return 'dangling';
    }
    const meta = owner.metadata;
    return meta.deletionTimestamp && (meta.finalizers ?? []).includes(foregroundFinalizer)
      ? 'waiting'
      : 'solid';
  }
}
