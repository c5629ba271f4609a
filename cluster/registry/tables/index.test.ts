import { describe, expect, it } from 'vitest';
import { tableColumnsFor, tableRowCells, toTable } from './index';

const now = new Date('2026-01-01T12:00:00Z');
const created = '2026-01-01T11:00:00Z';
const meta = (name: string, extra: object = {}) => ({
  name,
  namespace: 'default',
  creationTimestamp: created,
  ...extra,
});
const names = (group: string, kind: string) => tableColumnsFor(group, kind).map((c) => c.name);
const wide = (group: string, kind: string) =>
  tableColumnsFor(group, kind)
    .filter((c) => c.priority === 1)
    .map((c) => c.name);

describe('tableColumnsFor', () => {
  it.each([
    [
      '',
      'Pod',
      ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    ],
    ['', 'Service', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']],
    [
      'apps',
      'Deployment',
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
    ],
    [
      'apps',
      'ReplicaSet',
      ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'],
    ],
    ['apps', 'StatefulSet', ['Name', 'Ready', 'Age', 'Containers', 'Images']],
    [
      'apps',
      'DaemonSet',
      [
        'Name',
        'Desired',
        'Current',
        'Ready',
        'Up-to-date',
        'Available',
        'Node Selector',
        'Age',
        'Containers',
        'Images',
        'Selector',
      ],
    ],
    [
      'batch',
      'Job',
      ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
    ],
    [
      'batch',
      'CronJob',
      [
        'Name',
        'Schedule',
        'Timezone',
        'Suspend',
        'Active',
        'Last Schedule',
        'Age',
        'Containers',
        'Images',
        'Selector',
      ],
    ],
    [
      '',
      'Node',
      [
        'Name',
        'Status',
        'Roles',
        'Age',
        'Version',
        'Internal-IP',
        'External-IP',
        'OS-Image',
        'Kernel-Version',
        'Container-Runtime',
      ],
    ],
    [
      '',
      'Event',
      [
        'Last Seen',
        'Type',
        'Reason',
        'Object',
        'Subobject',
        'Source',
        'Message',
        'First Seen',
        'Count',
        'Name',
      ],
    ],
    ['', 'Secret', ['Name', 'Type', 'Data', 'Age']],
    ['', 'ConfigMap', ['Name', 'Data', 'Age']],
    ['', 'Namespace', ['Name', 'Status', 'Age']],
    ['networking.k8s.io', 'Ingress', ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']],
    ['discovery.k8s.io', 'EndpointSlice', ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']],
    ['rbac.authorization.k8s.io', 'Role', ['Name', 'Created At']],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', ['Name', 'Created At']],
    ['', 'LimitRange', ['Name', 'Created At']],
    ['example.com', 'Widget', ['Name', 'Age']],
  ])('%s %s has the Kubernetes columns', (group, kind, expected) => {
    expect(names(group, kind)).toEqual(expected);
  });

  it('marks only the -o wide columns with priority 1', () => {
    expect(wide('', 'Pod')).toEqual(['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(wide('', 'Service')).toEqual(['Selector']);
    expect(wide('', 'Event')).toEqual(['Subobject', 'Source', 'First Seen', 'Count', 'Name']);
  });

  it('flags the name column and typed columns like Kubernetes', () => {
    const [name, , , restarts] = tableColumnsFor('', 'Pod');
    expect(name).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(restarts?.type).toBe('string');
    expect(tableColumnsFor('apps', 'ReplicaSet')[1]).toMatchObject({ name: 'Desired', type: 'integer' });
    expect(tableColumnsFor('batch', 'CronJob')[3]).toMatchObject({ name: 'Suspend', type: 'boolean' });
    expect(tableColumnsFor('rbac.authorization.k8s.io', 'ClusterRole')[1]).toMatchObject({ type: 'date' });
    expect(tableColumnsFor('', 'Pod').every((c) => c.description.length > 0)).toBe(true);
  });
});

const everyKind: [string, string][] = [
  ['', 'Pod'],
  ['', 'PodTemplate'],
  ['', 'Service'],
  ['', 'Node'],
  ['', 'Namespace'],
  ['', 'ConfigMap'],
  ['', 'Secret'],
  ['', 'ServiceAccount'],
  ['', 'Event'],
  ['events.k8s.io', 'Event'],
  ['', 'Endpoints'],
  ['', 'PersistentVolume'],
  ['', 'PersistentVolumeClaim'],
  ['', 'ResourceQuota'],
  ['', 'ReplicationController'],
  ['', 'LimitRange'],
  ['apps', 'Deployment'],
  ['apps', 'ReplicaSet'],
  ['apps', 'StatefulSet'],
  ['apps', 'DaemonSet'],
  ['apps', 'ControllerRevision'],
  ['batch', 'Job'],
  ['batch', 'CronJob'],
  ['autoscaling', 'HorizontalPodAutoscaler'],
  ['policy', 'PodDisruptionBudget'],
  ['networking.k8s.io', 'Ingress'],
  ['networking.k8s.io', 'IngressClass'],
  ['networking.k8s.io', 'NetworkPolicy'],
  ['discovery.k8s.io', 'EndpointSlice'],
  ['rbac.authorization.k8s.io', 'Role'],
  ['rbac.authorization.k8s.io', 'ClusterRole'],
  ['rbac.authorization.k8s.io', 'RoleBinding'],
  ['rbac.authorization.k8s.io', 'ClusterRoleBinding'],
  ['scheduling.k8s.io', 'PriorityClass'],
  ['coordination.k8s.io', 'Lease'],
  ['storage.k8s.io', 'StorageClass'],
  ['apiextensions.k8s.io', 'CustomResourceDefinition'],
  ['example.com', 'Widget'],
];

describe('every printer', () => {
  it.each(everyKind)('%s %s prints one cell per column, even for a bare object', (group, kind) => {
    const columns = tableColumnsFor(group, kind);
    expect(tableRowCells(group, kind, { metadata: { name: 'x' } }, now)).toHaveLength(columns.length);
    expect(tableRowCells(group, kind, {}, now)).toHaveLength(columns.length);
    expect(columns.filter((c) => c.format === 'name').length).toBeGreaterThan(0);
  });
});

describe('tableRowCells', () => {
  it('prints services of each type', () => {
    const svc = (spec: object, status: object = {}) => ({ metadata: meta('web'), spec, status });
    expect(
      tableRowCells(
        '',
        'Service',
        svc({
          type: 'ClusterIP',
          clusterIP: '10.96.0.20',
          clusterIPs: ['10.96.0.20'],
          ports: [{ port: 80, protocol: 'TCP' }],
          selector: { app: 'web', tier: 'a' },
        }),
        now,
      ),
    ).toEqual(['web', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', '60m', 'app=web,tier=a']);
    expect(
      tableRowCells(
        '',
        'Service',
        svc({
          type: 'NodePort',
          clusterIPs: ['10.96.0.21'],
          ports: [
            { port: 80, nodePort: 30080, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        }),
        now,
      ).slice(1, 5),
    ).toEqual(['NodePort', '10.96.0.21', '<none>', '80:30080/TCP,53/UDP']);
    expect(
      tableRowCells(
        '',
        'Service',
        svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.22'], ports: [] }),
        now,
      ).slice(3, 5),
    ).toEqual(['<pending>', '<none>']);
    expect(
      tableRowCells(
        '',
        'Service',
        svc(
          { type: 'LoadBalancer', clusterIPs: ['10.96.0.22'] },
          { loadBalancer: { ingress: [{ ip: '172.18.0.5' }] } },
        ),
        now,
      )[3],
    ).toBe('172.18.0.5');
    expect(
      tableRowCells('', 'Service', svc({ type: 'ExternalName', externalName: 'example.com' }), now).slice(
        2,
        4,
      ),
    ).toEqual(['<none>', 'example.com']);
  });

  it('prints a deployment with its wide cells', () => {
    const d = {
      metadata: meta('web'),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'nginx:1' },
              { name: 'log', image: 'busybox' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(tableRowCells('apps', 'Deployment', d, now)).toEqual([
      'web',
      '2/3',
      3,
      2,
      '60m',
      'app,log',
      'nginx:1,busybox',
      'app=web',
    ]);
  });

  it('prints job status, completions and duration', () => {
    const job = (spec: object, status: object) => ({ metadata: meta('j'), spec, status });
    expect(
      tableRowCells(
        'batch',
        'Job',
        job(
          { completions: 1 },
          {
            succeeded: 1,
            startTime: '2026-01-01T11:00:00Z',
            completionTime: '2026-01-01T11:00:42Z',
            conditions: [{ type: 'Complete', status: 'True' }],
          },
        ),
        now,
      ).slice(1, 4),
    ).toEqual(['Complete', '1/1', '42s']);
    expect(
      tableRowCells(
        'batch',
        'Job',
        job({ parallelism: 3 }, { startTime: '2026-01-01T11:55:00Z' }),
        now,
      ).slice(1, 4),
    ).toEqual(['Running', '0/1 of 3', '5m']);
    expect(tableRowCells('batch', 'Job', job({ completions: 2 }, {}), now).slice(1, 4)).toEqual([
      'Running',
      '0/2',
      '',
    ]);
  });

  it('prints a cron job', () => {
    const cj = {
      metadata: meta('c'),
      spec: {
        schedule: '*/5 * * * *',
        suspend: false,
        jobTemplate: { spec: { template: { spec: { containers: [] } } } },
      },
      status: { active: [{}], lastScheduleTime: '2026-01-01T11:58:00Z' },
    };
    expect(tableRowCells('batch', 'CronJob', cj, now).slice(1, 7)).toEqual([
      '*/5 * * * *',
      '<none>',
      'False',
      1,
      '2m',
      '60m',
    ]);
  });

  it('prints node status, roles and addresses', () => {
    const node = {
      metadata: meta('kubedesk-control-plane', {
        namespace: undefined,
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' },
      }),
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [
          { type: 'InternalIP', address: '172.18.0.2' },
          { type: 'Hostname', address: 'x' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.35.0',
          osImage: 'Debian GNU/Linux 12',
          kernelVersion: '6.1',
          containerRuntimeVersion: 'docker://27.0',
        },
      },
    };
    expect(tableRowCells('', 'Node', node, now)).toEqual([
      'kubedesk-control-plane',
      'Ready,SchedulingDisabled',
      'control-plane,master',
      '60m',
      'v1.35.0',
      '172.18.0.2',
      '<none>',
      'Debian GNU/Linux 12',
      '6.1',
      'docker://27.0',
    ]);
    expect(tableRowCells('', 'Node', { metadata: meta('n') }, now).slice(1, 3)).toEqual([
      'Unknown',
      '<none>',
    ]);
  });

  it('prints events with the object and a default count', () => {
    const e = {
      metadata: meta('web.1'),
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled',
      message: ' Successfully pulled image \n',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-01-01T11:50:00Z',
      lastTimestamp: '2026-01-01T11:59:00Z',
    };
    expect(tableRowCells('', 'Event', e, now)).toEqual([
      '60s',
      'Normal',
      'Pulled',
      'pod/web',
      'spec.containers{app}',
      'kubelet, node-1',
      'Successfully pulled image',
      '10m',
      1,
      'web.1',
    ]);
    const v1 = {
      metadata: meta('x'),
      regarding: { kind: 'Deployment', name: 'web' },
      note: 'Scaled up',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      eventTime: '2026-01-01T11:59:30Z',
      reportingController: 'deployment-controller',
    };
    expect(tableRowCells('events.k8s.io', 'Event', v1, now).slice(0, 9)).toEqual([
      '30s',
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      '',
      'deployment-controller',
      'Scaled up',
      '30s',
      1,
    ]);
  });

  it('prints data counts, secret types and binding subjects', () => {
    expect(
      tableRowCells(
        '',
        'ConfigMap',
        { metadata: meta('c'), data: { a: '1', b: '2' }, binaryData: { c: '' } },
        now,
      ),
    ).toEqual(['c', 3, '60m']);
    expect(
      tableRowCells('', 'Secret', { metadata: meta('s'), type: 'Opaque', data: { a: 'eA==' } }, now),
    ).toEqual(['s', 'Opaque', 1, '60m']);
    const rb = {
      metadata: meta('rb'),
      roleRef: { kind: 'ClusterRole', name: 'view', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
        { kind: 'User', name: 'bob' },
      ],
    };
    expect(tableRowCells('rbac.authorization.k8s.io', 'RoleBinding', rb, now)).toEqual([
      'rb',
      'ClusterRole/view',
      '60m',
      'alice, bob',
      'devs',
      'default:sa',
    ]);
  });

  it('prints endpoints and endpoint slices with the "more" suffix', () => {
    const ep = {
      metadata: meta('web'),
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: 'fd00::4' }],
          ports: [{ port: 80 }],
        },
      ],
    };
    expect(tableRowCells('', 'Endpoints', ep, now)[1]).toBe(
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...',
    );
    expect(tableRowCells('', 'Endpoints', { metadata: meta('x') }, now)[1]).toBe('<none>');
    const slice = {
      metadata: meta('web-abc'),
      addressType: 'IPv4',
      ports: [{ port: 80 }, { name: 'dns' }],
      endpoints: [{ addresses: ['10.0.0.1'] }],
    };
    expect(tableRowCells('discovery.k8s.io', 'EndpointSlice', slice, now)).toEqual([
      'web-abc',
      'IPv4',
      '80,dns',
      '10.0.0.1',
      '60m',
    ]);
    expect(
      tableRowCells(
        'discovery.k8s.io',
        'EndpointSlice',
        { metadata: meta('e'), addressType: 'IPv4' },
        now,
      ).slice(2, 4),
    ).toEqual(['<unset>', '<unset>']);
  });

  it('prints claims, storage classes and ingresses', () => {
    const pvc = {
      metadata: meta('data'),
      spec: { volumeName: 'pv-1', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
      status: {
        phase: 'Bound',
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      },
    };
    expect(tableRowCells('', 'PersistentVolumeClaim', pvc, now)).toEqual([
      'data',
      'Bound',
      'pv-1',
      '1Gi',
      'RWO,RWX',
      'standard',
      '<unset>',
      '60m',
      '<unset>',
    ]);
    const sc = {
      metadata: meta('standard', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'kubedesk.io/hostpath',
    };
    expect(tableRowCells('storage.k8s.io', 'StorageClass', sc, now)).toEqual([
      'standard (default)',
      'kubedesk.io/hostpath',
      'Delete',
      'Immediate',
      false,
      '60m',
    ]);
    const hosts = (rules: object[]) =>
      tableRowCells('networking.k8s.io', 'Ingress', { metadata: meta('i'), spec: { rules } }, now)[2];
    expect(hosts([{ host: 'a' }, {}, {}, {}])).toBe('a');
    expect(hosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, {}])).toBe('a,b,c + 2 more...');
    expect(hosts([])).toBe('*');
    const ing = { metadata: meta('web'), spec: { rules: [{ host: 'a.test' }, {}], tls: [{}] } };
    expect(tableRowCells('networking.k8s.io', 'Ingress', ing, now)).toEqual([
      'web',
      '<none>',
      'a.test',
      '',
      '80, 443',
      '60m',
    ]);
  });

  it('prints NAME and CREATED AT for built-in kinds without a printer, and NAME, AGE for custom resources', () => {
    expect(tableRowCells('rbac.authorization.k8s.io', 'Role', { metadata: meta('r') }, now)).toEqual([
      'r',
      '2026-01-01T11:00:00Z',
    ]);
    expect(tableRowCells('example.com', 'Widget', { metadata: meta('w') }, now)).toEqual(['w', '60m']);
  });
});

describe('toTable', () => {
  const pods = [
    {
      metadata: meta('a', { uid: 'u1', labels: { app: 'x' } }),
      spec: { containers: [] },
      status: { phase: 'Pending' },
    },
  ];

  it('builds a Table with columns and PartialObjectMetadata rows by default', () => {
    const table = toTable('', 'Pod', pods, { now, includeObject: 'Metadata', resourceVersion: '42' });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({ resourceVersion: '42' });
    expect(table.columnDefinitions?.[0]?.name).toBe('Name');
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual(['a', '0/0', 'Pending']);
    expect(table.rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pods[0]?.metadata,
    });
  });

  it('omits headers for later watch events and honours includeObject', () => {
    const table = toTable('', 'Pod', pods, { now, includeObject: 'None', noHeaders: true, continue: 'tok' });
    expect(table.columnDefinitions).toBeUndefined();
    expect(table.rows[0]).not.toHaveProperty('object');
    expect(table.metadata.continue).toBe('tok');
    expect(toTable('', 'Pod', pods, { now, includeObject: 'Object' }).rows[0]?.object).toBe(pods[0]);
  });

  it('serializes to the JSON kubectl reads', () => {
    const json = JSON.parse(
      JSON.stringify(toTable('', 'ConfigMap', [], { now, includeObject: 'Metadata', resourceVersion: '7' })),
    );
    expect(Object.keys(json)).toEqual(['kind', 'apiVersion', 'metadata', 'columnDefinitions', 'rows']);
    expect(json.rows).toEqual([]);
  });
});
