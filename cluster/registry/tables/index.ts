// Server-side printing for `kubectl get`: the meta.k8s.io/v1 Table the API server returns when the
// client's Accept header asks for `as=Table` (apiserver `endpoints/handlers/response.go` asTable).
import type {
  CoreV1Event,
  EventsV1Event,
  V1CustomResourceColumnDefinition,
  V1ObjectMeta,
} from '@kubernetes/client-node';
import { createdAtColumn, nameColumn, timeOf } from './cellFormat';
import {
  clusterRoleBindingPrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
  storageClassPrinter,
} from './clusterPrinters';
import {
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './corePrinters';
import { customResourcePrinter } from './customResourcePrinter';
import {
  endpointSlicePrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
} from './networkingPrinters';
import { podPrinter } from './podPrinter';
import type { PartialObjectMetadata, Printer, Table, TableColumnDefinition, TableRow } from './tableTypes';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloadPrinters';

export { humanDuration } from './humanDuration';
export type { PartialObjectMetadata, Table, TableColumnDefinition, TableRow } from './tableTypes';

/** events.k8s.io Events are core Events stored under other names; print them the same way. */
function eventsV1AsCore(e: EventsV1Event): CoreV1Event {
  return {
    metadata: e.metadata ?? {},
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series ? { count: e.series.count, lastObservedTime: e.series.lastObservedTime } : undefined,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

const printers: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/PodTemplate': podTemplatePrinter,
  '/Service': servicePrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Event': eventPrinter,
  'events.k8s.io/Event': {
    columns: eventPrinter.columns,
    cells: (e: EventsV1Event, now: Date) => eventPrinter.cells(eventsV1AsCore(e) as never, now),
  },
  '/Endpoints': endpointsPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  '/ResourceQuota': resourceQuotaPrinter,
  '/ReplicationController': replicationControllerPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'networking.k8s.io/Ingress': ingressPrinter,
  'networking.k8s.io/IngressClass': ingressClassPrinter,
  'networking.k8s.io/NetworkPolicy': networkPolicyPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingPrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'storage.k8s.io/StorageClass': storageClassPrinter,
};

// Built-in groups: a kind here without a printer gets the generic API server's NAME, CREATED AT
// (Roles, ClusterRoles, LimitRanges, CustomResourceDefinitions...).
const builtInGroups = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'storage.k8s.io',
  'node.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'metrics.k8s.io',
]);

const metadataOf = (obj: object): V1ObjectMeta => (obj as { metadata?: V1ObjectMeta }).metadata ?? {};

const genericPrinter: Printer = {
  columns: [nameColumn, createdAtColumn],
  cells: (obj: object) => {
    const created = timeOf(metadataOf(obj).creationTimestamp);
    // RFC 3339 in UTC without fractional seconds, as Go's time.RFC3339 prints it.
    return [metadataOf(obj).name ?? '', created ? created.toISOString().replace(/\.\d{3}Z$/, 'Z') : ''];
  },
};

const defaultCustomResourcePrinter = customResourcePrinter();

/**
 * `printerColumns` are a CustomResourceDefinition version's additionalPrinterColumns; without them a
 * custom resource prints NAME, AGE.
 */
function printerFor(
  group: string,
  kind: string,
  printerColumns?: V1CustomResourceColumnDefinition[],
): Printer {
  if (printerColumns && printerColumns.length > 0) return customResourcePrinter(printerColumns);
  return (
    printers[`${group}/${kind}`] ?? (builtInGroups.has(group) ? genericPrinter : defaultCustomResourcePrinter)
  );
}

/** The columns Kubernetes prints for this kind, wide ones (priority 1) included. */
export function tableColumnsFor(
  group: string,
  kind: string,
  printerColumns?: V1CustomResourceColumnDefinition[],
): TableColumnDefinition[] {
  return printerFor(group, kind, printerColumns).columns;
}

/** One row's cells, aligned with tableColumnsFor (the API server always includes the wide cells). */
export function tableRowCells(
  group: string,
  kind: string,
  obj: object,
  now: Date,
  printerColumns?: V1CustomResourceColumnDefinition[],
): unknown[] {
  return printerFor(group, kind, printerColumns).cells(obj as never, now);
}

export interface ToTableOptions {
  now: Date;
  /** The request's `includeObject`; the API server's default is Metadata. */
  includeObject: 'None' | 'Object' | 'Metadata';
  /** Leave out columnDefinitions, for watch events after the first. */
  noHeaders?: boolean;
  resourceVersion?: string;
  continue?: string;
  /** For custom resources: the served CRD version's additionalPrinterColumns. */
  printerColumns?: V1CustomResourceColumnDefinition[];
}

function rowObject(obj: object, include: ToTableOptions['includeObject']): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  const partial: PartialObjectMetadata = {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: metadataOf(obj),
  };
  return partial;
}

/** Builds the Table for a list (or a single object, as a one-element list). */
export function toTable(group: string, kind: string, objects: object[], opts: ToTableOptions): Table {
  const printer = printerFor(group, kind, opts.printerColumns);
  const rows: TableRow[] = objects.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj as never, opts.now) };
    const object = rowObject(obj, opts.includeObject);
    if (object) row.object = object;
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    ...(opts.noHeaders ? {} : { columnDefinitions: printer.columns }),
    rows,
  };
}
