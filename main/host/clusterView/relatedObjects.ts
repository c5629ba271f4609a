import type {
  CoreV1Event,
  V1Job,
  V1OwnerReference,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import type { ApiObject } from '../../../cluster/controllers/runtime/apiObject';
import type { ViewResource } from './clusterViewContract';
import type { RelatedEvent, RelatedObjects, RelatedRef } from './objectDetailsContract';
import { rowOf } from './resourceTables';
import { viewResources } from './viewResources';

// The objects a person looks at next from one object: its owners up the controller chain (a pod's
// ReplicaSet, then that ReplicaSet's Deployment), the pods it owns, selects or runs, and the
// events about it. Pure over a read-only view of the caches, so it is tested without a cluster.

export const relatedEventLimit = 50;

export interface RelatedSource {
  pods(namespace?: string): V1Pod[];
  replicaSets(namespace: string): V1ReplicaSet[];
  jobs(namespace: string): V1Job[];
  events(namespace?: string): CoreV1Event[];
}

const clusterScoped = new Set<ViewResource>(['nodes', 'namespaces', 'persistentvolumes', 'storageclasses']);

function viewResourceFor(apiVersion: string | undefined, kind: string): ViewResource | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
  const entry = Object.entries(viewResources).find(([, info]) => info.kind === kind && info.group === group);
  return entry?.[0] as ViewResource | undefined;
}

const uidOf = (obj: ApiObject) => obj.metadata?.uid;

const ownedBy = (obj: ApiObject, uids: Set<string>) =>
  (obj.metadata?.ownerReferences ?? []).some((ref) => uids.has(ref.uid));

function podRef(pod: V1Pod, now: Date): RelatedRef {
  const row = rowOf({ resource: 'pods' }, pod, now);
  return {
    kind: 'Pod',
    name: row.name,
    ...(row.namespace ? { namespace: row.namespace } : {}),
    resource: 'pods',
    status: String(row.cells[2] ?? ''),
    health: row.health,
  };
}

function ownerRef(ref: V1OwnerReference, namespace: string | undefined): RelatedRef {
  const resource = viewResourceFor(ref.apiVersion, ref.kind);
  const scoped = namespace && !(resource && clusterScoped.has(resource));
  return {
    kind: ref.kind,
    name: ref.name,
    ...(scoped ? { namespace } : {}),
    ...(resource ? { resource } : {}),
    health: 'none',
  };
}

/** Owners, then their controllers' owners where the caches know them (ReplicaSet → Deployment,
 * Job → CronJob). */
function owners(obj: ApiObject, source: RelatedSource): RelatedRef[] {
  const namespace = obj.metadata?.namespace;
  const out: RelatedRef[] = [];
  const listed = new Set<string>();
  const walked = new Set<string>();
  let current: ApiObject | undefined = obj;
  while (current) {
    const uid = uidOf(current);
    if (uid && walked.has(uid)) break; // an ownership cycle: list each owner once
    if (uid) walked.add(uid);
    const refs: V1OwnerReference[] = current.metadata?.ownerReferences ?? [];
    for (const ref of refs.filter((r) => !listed.has(r.uid))) {
      listed.add(ref.uid);
      out.push(ownerRef(ref, namespace));
    }
    const controller = refs.find((r) => r.controller) ?? refs[0];
    if (!controller || !namespace) break;
    const parents: ApiObject[] =
      controller.kind === 'ReplicaSet'
        ? source.replicaSets(namespace)
        : controller.kind === 'Job'
          ? source.jobs(namespace)
          : [];
    current = parents.find((p) => uidOf(p) === controller.uid);
  }
  return out;
}

function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: Record<string, string>,
): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The pods an object owns, selects or runs, and how they were found. */
function pods(
  kind: string,
  obj: ApiObject,
  source: RelatedSource,
): { pods: V1Pod[]; via: string } | undefined {
  const namespace = obj.metadata?.namespace ?? '';
  const uid = uidOf(obj);
  const owned = (owners: Set<string>) => source.pods(namespace).filter((p) => ownedBy(p, owners));
  switch (kind) {
    case 'Deployment': {
      const sets = source.replicaSets(namespace).filter((rs) => uid && ownedBy(rs, new Set([uid])));
      return {
        pods: owned(new Set(sets.map(uidOf).filter((u) => u !== undefined))),
        via: 'owned through its ReplicaSets',
      };
    }
    case 'CronJob': {
      const jobs = source.jobs(namespace).filter((job) => uid && ownedBy(job, new Set([uid])));
      return {
        pods: owned(new Set(jobs.map(uidOf).filter((u) => u !== undefined))),
        via: 'owned through its Jobs',
      };
    }
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return { pods: uid ? owned(new Set([uid])) : [], via: `owned by this ${kind}` };
    case 'Service': {
      const selector = (obj as V1Service).spec?.selector;
      if (!selector || Object.keys(selector).length === 0)
        return { pods: [], via: 'no selector: its endpoints are managed by hand' };
      const text = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return {
        pods: source.pods(namespace).filter((p) => matchesSelector(p.metadata?.labels, selector)),
        via: `selected by ${text}`,
      };
    }
    case 'Node': {
      const name = obj.metadata?.name;
      return { pods: source.pods().filter((p) => p.spec?.nodeName === name), via: 'running on this node' };
    }
    default:
      return undefined;
  }
}

/** ISO time of an event's last occurrence; the caches hold JSON strings, the models say Date. */
function eventTime(e: CoreV1Event): string {
  const value = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const time = value ? new Date(value as string | Date) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : '';
}

function events(kind: string, obj: ApiObject, source: RelatedSource): RelatedEvent[] {
  const meta = obj.metadata ?? {};
  const about = (e: CoreV1Event) => {
    const io = e.involvedObject;
    if (meta.uid && io.uid === meta.uid) return true;
    if (io.kind !== kind || io.name !== meta.name) return false;
    return !meta.namespace || (io.namespace ?? '') === meta.namespace;
  };
  return source
    .events(meta.namespace)
    .filter(about)
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)))
    .slice(0, relatedEventLimit)
    .map((e) => {
      const last = eventTime(e);
      const from = e.source?.component ?? e.reportingComponent;
      return {
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.count ?? 1,
        ...(last ? { last } : {}),
        ...(from ? { source: from } : {}),
      };
    });
}

export function relatedObjects(
  kind: string,
  obj: ApiObject,
  source: RelatedSource,
  now: Date,
): RelatedObjects {
  const found = pods(kind, obj, source);
  return {
    owners: owners(obj, source),
    pods: (found?.pods ?? []).map((p) => podRef(p, now)).sort((a, b) => a.name.localeCompare(b.name)),
    ...(found ? { podsVia: found.via } : {}),
    events: events(kind, obj, source),
  };
}
