// Printers for policy, autoscaling, rbac, scheduling, coordination and storage kinds, after
// kubernetes `pkg/printers/internalversion`.
import type {
  RbacV1Subject,
  V1ClusterRoleBinding,
  V1Lease,
  V1PodDisruptionBudget,
  V1PriorityClass,
  V1RoleBinding,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
  V2MetricStatus,
} from '@kubernetes/client-node';
import { ageColumn, column, nameColumn, since } from './cellFormat';
import type { Printer } from './tableTypes';

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', {
      type: 'integer',
    }),
    ageColumn,
  ],
  cells: (pdb: V1PodDisruptionBudget, now: Date) => [
    pdb.metadata?.name ?? '',
    intOrString(pdb.spec?.minAvailable),
    intOrString(pdb.spec?.maxUnavailable),
    pdb.status?.disruptionsAllowed ?? 0,
    since(pdb.metadata?.creationTimestamp, now),
  ],
};

const q = (v: unknown) => (v === undefined || v === null ? '<unknown>' : String(v));

function metricText(spec: V2MetricSpec, status: V2MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue !== undefined)
        return `${q(status?.external?.current?.averageValue)}/${target.averageValue} (avg)`;
      return `${q(status?.external?.current?.value)}/${target?.value ?? ''}`;
    }
    case 'Pods':
      return `${q(status?.pods?.current?.averageValue)}/${spec.pods?.target?.averageValue ?? ''}`;
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue !== undefined)
        return `${q(status?.object?.current?.averageValue)}/${target.averageValue} (avg)`;
      return `${q(status?.object?.current?.value)}/${target?.value ?? ''}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const current =
        spec.type === 'Resource' ? status?.resource?.current : status?.containerResource?.current;
      const target = source?.target;
      if (target?.averageValue !== undefined)
        return `${source?.name}: ${q(current?.averageValue)}/${target.averageValue}`;
      const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
      const want = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
      return `${source?.name}: ${now}/${want}`;
    }
    default:
      return '<unknown type>';
  }
}

/** TARGETS; also accepts autoscaling/v1 objects, whose CPU target is the only metric. */
function hpaTargets(hpa: V2HorizontalPodAutoscaler): string {
  const v1 = hpa as {
    spec?: { targetCPUUtilizationPercentage?: number };
    status?: { currentCPUUtilizationPercentage?: number };
  };
  let specs = hpa.spec?.metrics ?? [];
  let statuses = hpa.status?.currentMetrics ?? [];
  if (specs.length === 0 && v1.spec?.targetCPUUtilizationPercentage !== undefined) {
    specs = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: v1.spec.targetCPUUtilizationPercentage },
        },
      },
    ];
    const current = v1.status?.currentCPUUtilizationPercentage;
    statuses =
      current === undefined
        ? []
        : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  }
  if (specs.length === 0) return '<none>';
  const list = specs.map((s, i) => metricText(s, statuses[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    column('Reference', 'scaleTargetRef points to the target resource to scale.'),
    column(
      'Targets',
      'metrics contains the specifications for which to use to calculate the desired replica count.',
    ),
    column(
      'MinPods',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    ),
    column(
      'MaxPods',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
    ),
    column('Replicas', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn,
  ],
  cells: (hpa: V2HorizontalPodAutoscaler, now: Date) => [
    hpa.metadata?.name ?? '',
    `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
    hpaTargets(hpa),
    hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    since(hpa.metadata?.creationTimestamp, now),
  ],
};

function subjects(list: RbacV1Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of list ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}:${s.name}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn,
      column(
        'Role',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
      ),
      ageColumn,
      column('Users', `Users in the ${what}`, { priority: 1 }),
      column('Groups', `Groups in the ${what}`, { priority: 1 }),
      column('ServiceAccounts', `ServiceAccounts in the ${what}`, { priority: 1 }),
    ],
    cells: (b: V1RoleBinding | V1ClusterRoleBinding, now: Date) => [
      b.metadata?.name ?? '',
      `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
      since(b.metadata?.creationTimestamp, now),
      ...subjects(b.subjects),
    ],
  };
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Value', 'value represents the integer value of this priority class.', { type: 'integer' }),
    column(
      'Global-Default',
      'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.',
      {
        type: 'boolean',
      },
    ),
    ageColumn,
    column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells: (pc: V1PriorityClass, now: Date) => [
    pc.metadata?.name ?? '',
    pc.value ?? 0,
    pc.globalDefault ?? false,
    since(pc.metadata?.creationTimestamp, now),
    pc.preemptionPolicy ?? '',
  ],
};

export const leasePrinter: Printer = {
  columns: [
    nameColumn,
    column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'),
    ageColumn,
  ],
  cells: (l: V1Lease, now: Date) => [
    l.metadata?.name ?? '',
    l.spec?.holderIdentity ?? '',
    since(l.metadata?.creationTimestamp, now),
  ],
};

const defaultClassAnnotations = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

export const storageClassPrinter: Printer = {
  columns: [
    nameColumn,
    column('Provisioner', 'provisioner indicates the type of the provisioner.'),
    column(
      'ReclaimPolicy',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    column(
      'VolumeBindingMode',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    column(
      'AllowVolumeExpansion',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
    ),
    ageColumn,
  ],
  cells: (sc: V1StorageClass, now: Date) => {
    const isDefault = defaultClassAnnotations.some((a) => sc.metadata?.annotations?.[a] === 'true');
    return [
      `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      since(sc.metadata?.creationTimestamp, now),
    ];
  },
};
