import { describe, expect, it } from 'vitest';
import { customResourceSchema } from '../openapi/schemas';
import { recordUpdate, serverSideApply } from './serverSideApply';

const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const now = new Date('2026-11-23T14:00:00.500Z');
const applyOpts = { manager: 'helm', force: false, gvk, apiVersion: 'apps/v1', now };

function config(
  overrides: {
    replicas?: number;
    labels?: Record<string, string>;
    env?: Array<{ name: string; value: string }>;
  } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: overrides.labels ?? { app: 'web', tier: 'front' },
    },
    spec: {
      replicas: overrides.replicas ?? 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              env: overrides.env ?? [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80 }],
            },
          ],
        },
      },
    },
  };
}

type Fields = { [segment: string]: Fields };
type Obj = ReturnType<typeof config> & {
  metadata: {
    managedFields?: Array<{ manager?: string; operation?: string; fieldsType?: string; fieldsV1: Fields }>;
  };
};

describe('serverSideApply', () => {
  it('creates the object and records the manager in FieldsV1 form', () => {
    const { object, conflicts } = serverSideApply(undefined, config(), applyOpts);
    expect(conflicts).toEqual([]);
    const { managedFields, ...metadata } = (object as Obj).metadata;
    expect(metadata).toEqual(config().metadata);
    expect(managedFields).toEqual([
      {
        manager: 'helm',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-11-23T14:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:name': {},
                    'f:image': {},
                    'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    'f:ports': {
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('removes fields the manager stops applying', () => {
    const first = serverSideApply(undefined, config(), applyOpts).object;
    const { object } = serverSideApply(first, config({ labels: { app: 'web' }, env: [] }), applyOpts);
    const obj = object as Obj;
    expect(obj.metadata.labels).toEqual({ app: 'web' });
    expect(obj.spec.template.spec.containers[0]?.env).toEqual([]);
    expect(obj.metadata.managedFields).toHaveLength(1);
  });

  it('keeps a dropped field that another manager also owns', () => {
    const first = serverSideApply(undefined, config(), applyOpts).object;
    const shared = serverSideApply(
      first,
      { ...config(), metadata: { name: 'web', labels: { tier: 'front' } }, spec: undefined },
      {
        ...applyOpts,
        manager: 'other',
      },
    ).object;
    const { object } = serverSideApply(shared, config({ labels: { app: 'web' } }), applyOpts);
    expect((object as Obj).metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });

  it('reports a conflict with another manager whose value differs, and force takes ownership', () => {
    const created = recordUpdate(undefined, config(), 'kubectl-client-side-apply', 'Update', {
      gvk,
      apiVersion: 'apps/v1',
      now,
    });
    const scaled = recordUpdate(created, config({ replicas: 5 }), 'kubectl', 'Update', {
      gvk,
      apiVersion: 'apps/v1',
      now,
    });
    const { object, conflicts } = serverSideApply(scaled, config({ replicas: 3 }), applyOpts);
    expect(conflicts).toEqual([{ field: '.spec.replicas', manager: 'kubectl' }]);
    expect(object).toBe(scaled);
    const forced = serverSideApply(scaled, config({ replicas: 3 }), { ...applyOpts, force: true })
      .object as Obj;
    expect(forced.spec.replicas).toBe(3);
    expect(forced.metadata.managedFields?.map((m) => m.manager)).toEqual([
      'kubectl-client-side-apply',
      'helm',
    ]);
  });

  it('shares ownership without conflict when values agree', () => {
    const created = recordUpdate(undefined, config(), 'kubectl-client-side-apply', 'Update', {
      gvk,
      apiVersion: 'apps/v1',
      now,
    });
    const { object, conflicts } = serverSideApply(created, config(), applyOpts);
    expect(conflicts).toEqual([]);
    expect((object as Obj).metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ['kubectl-client-side-apply', 'Update'],
      ['helm', 'Apply'],
    ]);
  });

  it('merges list-map items by key and keeps items others added; replaces atomic fields', () => {
    const first = serverSideApply(undefined, config(), applyOpts).object as Obj;
    const withSidecar = structuredClone(first);
    withSidecar.spec.template.spec.containers.push({ name: 'proxy', image: 'envoy', env: [], ports: [] });
    withSidecar.spec.template.spec.containers[0]?.ports.splice(0, 1, {
      containerPort: 80,
      protocol: 'TCP',
    } as never);
    const injected = recordUpdate(first, withSidecar, 'injector', 'Update', {
      gvk,
      apiVersion: 'apps/v1',
      now,
    });
    const next = config();
    next.spec.selector = { matchLabels: { app: 'web2' } };
    next.spec.template.spec.containers = [
      { ...config().spec.template.spec.containers[0], image: 'nginx:2' },
    ] as never;
    const { object } = serverSideApply(injected, next, applyOpts);
    const containers = (object as Obj).spec.template.spec.containers;
    expect(containers.map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:2'],
      ['proxy', 'envoy'],
    ]);
    expect(containers[0]?.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect((object as Obj).spec.selector).toEqual({ matchLabels: { app: 'web2' } });
  });

  it('unions set lists such as finalizers', () => {
    const live = { ...config(), metadata: { ...config().metadata, finalizers: ['a'] } };
    const applied = { ...config(), metadata: { ...config().metadata, finalizers: ['b'] } };
    const { object } = serverSideApply(live, applied, applyOpts);
    expect((object as { metadata: { finalizers: string[] } }).metadata.finalizers).toEqual(['a', 'b']);
  });
});

describe('recordUpdate', () => {
  const opts = { gvk, apiVersion: 'apps/v1', now };

  it('gives the writer the fields it changed and takes them from others', () => {
    const created = recordUpdate(undefined, config(), 'kubectl-create', 'Update', opts) as Obj;
    expect(created.metadata.managedFields?.[0]?.fieldsV1['f:spec']?.['f:replicas']).toEqual({});
    const scaled = recordUpdate(created, config({ replicas: 4 }), 'kubectl-scale', 'Update', opts) as Obj;
    const [create, scale] = scaled.metadata.managedFields ?? [];
    expect(create?.fieldsV1['f:spec']?.['f:replicas']).toBeUndefined();
    expect(scale?.manager).toBe('kubectl-scale');
    expect(scale?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('drops removed fields from every manager', () => {
    const created = recordUpdate(undefined, config(), 'a', 'Update', opts);
    const relabeled = recordUpdate(created, config({ labels: { app: 'web' } }), 'b', 'Update', opts) as Obj;
    expect(relabeled.metadata.managedFields?.[0]?.fieldsV1['f:metadata']).toEqual({
      'f:labels': { 'f:app': {} },
    });
    expect(relabeled.metadata.managedFields).toHaveLength(1);
  });

  it('limits a status write to status fields', () => {
    const created = recordUpdate(undefined, config(), 'kubectl-create', 'Update', opts);
    const withStatus = { ...config(), status: { replicas: 2 } };
    const updated = recordUpdate(created, withStatus, 'deployment-controller', 'Update', {
      ...opts,
      subresource: 'status',
    }) as Obj;
    expect(updated.metadata.managedFields?.map((m) => [m.manager, Object.keys(m.fieldsV1)])).toEqual([
      ['kubectl-create', ['f:metadata', 'f:spec']],
      ['deployment-controller', ['f:status']],
    ]);
  });

  it('leaves the objects it records unchanged', () => {
    const created = recordUpdate(undefined, config(), 'a', 'Update', opts) as Obj;
    const next = config({ replicas: 3, env: [] });
    const [createdBefore, nextBefore] = structuredClone([created, next]);
    const scaled = recordUpdate(created, next, 'b', 'Update', opts) as Obj;
    expect([created, next]).toEqual([createdBefore, nextBefore]);
    expect(scaled.metadata.managedFields?.map((m) => m.manager)).toEqual(['a', 'b']);
  });

  it('keeps managedFields that the write itself changed', () => {
    const created = recordUpdate(undefined, config(), 'a', 'Update', opts) as Obj;
    const rewritten = structuredClone(created);
    rewritten.metadata.managedFields = [
      { manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: {} },
    ];
    expect(
      (recordUpdate(created, rewritten, 'kubectl', 'Update', opts) as Obj).metadata.managedFields,
    ).toEqual(rewritten.metadata.managedFields);
  });
});

describe('serverSideApply on a custom resource', () => {
  it('uses the given schema for list-map merging and ownership', () => {
    const schema = customResourceSchema({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['id'],
              items: { type: 'object', properties: { id: { type: 'string' }, size: { type: 'integer' } } },
            },
          },
        },
      },
    });
    const crGvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
    const opts = { manager: 'a', force: false, gvk: crGvk, apiVersion: 'example.com/v1', now, schema };
    const live = serverSideApply(undefined, { spec: { items: [{ id: 'x', size: 1 }] } }, opts).object;
    const { object } = serverSideApply(
      live,
      { spec: { items: [{ id: 'y', size: 2 }] } },
      { ...opts, manager: 'b' },
    );
    expect((object as { spec: unknown }).spec).toEqual({
      items: [
        { id: 'y', size: 2 },
        { id: 'x', size: 1 },
      ],
    });
  });
});
