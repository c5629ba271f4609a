// Printers for apps/batch workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
// ReplicationController, ControllerRevision), after kubernetes `pkg/printers/internalversion`.
import type {
  V1ControllerRevision,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1JobCondition,
  V1ReplicaSet,
  V1ReplicationController,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { labelSelectorFromObject } from '../selectors/labelSelector';
import {
  ageColumn,
  column,
  formatLabelSelector,
  formatLabels,
  layoutContainers,
  nameColumn,
  since,
  timeOf,
  wideContainerColumns,
} from './cellFormat';
import { humanDuration } from './humanDuration';
import type { Printer } from './tableTypes';

const selectorColumn = (description: string) => column('Selector', description, { priority: 1 });

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn,
    ...wideContainerColumns,
    selectorColumn('Label selector for pods.'),
  ],
  cells: (d: V1Deployment, now: Date) => {
    // Deployments print the selector without the `<none>` placeholder.
    let selector: string;
    try {
      selector = labelSelectorFromObject(d.spec?.selector).toString();
    } catch {
      selector = '<invalid>';
    }
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      since(d.metadata?.creationTimestamp, now),
      ...layoutContainers(d.spec?.template?.spec?.containers),
      selector,
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of non-terminating pods.', {
      type: 'integer',
    }),
    column(
      'Ready',
      'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
      {
        type: 'integer',
      },
    ),
    ageColumn,
    ...wideContainerColumns,
    selectorColumn('Selector is a label query over pods that should match the replica count.'),
  ],
  cells: (rs: V1ReplicaSet, now: Date) => [
    rs.metadata?.name ?? '',
    rs.spec?.replicas ?? 1,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    since(rs.metadata?.creationTimestamp, now),
    ...layoutContainers(rs.spec?.template?.spec?.containers),
    formatLabelSelector(rs.spec?.selector),
  ],
};

export const replicationControllerPrinter: Printer = {
  columns: replicaSetPrinter.columns,
  cells: (rc: V1ReplicationController, now: Date) => [
    rc.metadata?.name ?? '',
    rc.spec?.replicas ?? 1,
    rc.status?.replicas ?? 0,
    rc.status?.readyReplicas ?? 0,
    since(rc.metadata?.creationTimestamp, now),
    ...layoutContainers(rc.spec?.template?.spec?.containers),
    formatLabels(rc.spec?.selector),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    ageColumn,
    ...wideContainerColumns,
  ],
  cells: (s: V1StatefulSet, now: Date) => [
    s.metadata?.name ?? '',
    `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`,
    since(s.metadata?.creationTimestamp, now),
    ...layoutContainers(s.spec?.template?.spec?.containers),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'The total number of nodes that should be running the daemon pod.', {
      type: 'integer',
    }),
    column(
      'Current',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      {
        type: 'integer',
      },
    ),
    column(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      {
        type: 'integer',
      },
    ),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', {
      type: 'integer',
    }),
    column(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
      {
        type: 'integer',
      },
    ),
    column('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    ...wideContainerColumns,
    selectorColumn('A label query over pods that are managed by the daemon set.'),
  ],
  cells: (ds: V1DaemonSet, now: Date) => [
    ds.metadata?.name ?? '',
    ds.status?.desiredNumberScheduled ?? 0,
    ds.status?.currentNumberScheduled ?? 0,
    ds.status?.numberReady ?? 0,
    ds.status?.updatedNumberScheduled ?? 0,
    ds.status?.numberAvailable ?? 0,
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    since(ds.metadata?.creationTimestamp, now),
    ...layoutContainers(ds.spec?.template?.spec?.containers),
    formatLabelSelector(ds.spec?.selector),
  ],
};

function jobCondition(conditions: V1JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: V1Job): string {
  const conditions = job.status?.conditions;
  if (jobCondition(conditions, 'Complete')) return 'Complete';
  if (jobCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (jobCondition(conditions, 'Suspended')) return 'Suspended';
  if (jobCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: V1Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) {
    return `${succeeded}/${job.spec.completions}`;
  }
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: V1Job, now: Date): string {
  const start = timeOf(job.status?.startTime);
  if (!start) return '';
  const end = timeOf(job.status?.completionTime) ?? now;
  return humanDuration(end.getTime() - start.getTime());
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'Status of the job.'),
    column('Completions', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'Time required to complete the job.'),
    ageColumn,
    ...wideContainerColumns,
    selectorColumn('A label query over pods that should match the pod count.'),
  ],
  cells: (job: V1Job, now: Date) => [
    job.metadata?.name ?? '',
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    since(job.metadata?.creationTimestamp, now),
    ...layoutContainers(job.spec?.template?.spec?.containers),
    formatLabelSelector(job.spec?.selector),
  ],
};

const boolPtr = (v: boolean | undefined | null) =>
  v === undefined || v === null ? '<unset>' : v ? 'True' : 'False';

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column(
      'Timezone',
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
    ),
    column(
      'Suspend',
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
      {
        type: 'boolean',
      },
    ),
    column('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
    column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wideContainerColumns,
    selectorColumn('A label query over pods that should match the pod count.'),
  ],
  cells: (cj: V1CronJob, now: Date) => [
    cj.metadata?.name ?? '',
    cj.spec?.schedule ?? '',
    cj.spec?.timeZone ?? '<none>',
    boolPtr(cj.spec?.suspend),
    (cj.status?.active ?? []).length,
    cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
    since(cj.metadata?.creationTimestamp, now),
    ...layoutContainers(cj.spec?.jobTemplate?.spec?.template?.spec?.containers),
    formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
  ],
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    column('Controller', 'Controller of the object'),
    column('Revision', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  cells: (cr: V1ControllerRevision, now: Date) => {
    const owner = (cr.metadata?.ownerReferences ?? []).find((o) => o.controller);
    let controller = '<none>';
    if (owner) {
      // "statefulset.apps/web": lower-cased Kind.group, or just the kind for the core group.
      const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
      controller = `${(group ? `${owner.kind}.${group}` : owner.kind).toLowerCase()}/${owner.name}`;
    }
    return [cr.metadata?.name ?? '', controller, cr.revision, since(cr.metadata?.creationTimestamp, now)];
  },
};
