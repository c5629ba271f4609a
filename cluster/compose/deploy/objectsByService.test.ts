import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { groupObjectsByService } from './objectsByService';

const label = (service: string) => ({ 'io.kompose.service': service });
const deployment = (name: string, spec: Record<string, unknown>, labels = label(name)): KubernetesObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: { template: { spec } },
  }) as KubernetesObject;
const object = (kind: string, name: string, labels?: Record<string, string>): KubernetesObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, ...(labels ? { labels } : {}) },
});
const names = (groups: ReturnType<typeof groupObjectsByService>) =>
  Object.fromEntries(groups.map((g) => [g.service, g.objects.map((o) => `${o.kind}/${o.metadata?.name}`)]));

describe('groupObjectsByService', () => {
  it('gives a ConfigMap, Secret or claim to the one service whose pods use it', () => {
    const web = deployment('web', {
      containers: [
        {
          name: 'web',
          envFrom: [{ configMapRef: { name: 'web-env' } }],
          env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db-password', key: 'pw' } } }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
    });
    // kompose labels these after the file or volume, not after the service.
    const groups = groupObjectsByService([
      object('Service', 'web', label('web')),
      object('ConfigMap', 'web-env', label('web-web-env')),
      object('Secret', 'db-password', label('db-password')),
      object('PersistentVolumeClaim', 'data', label('data')),
      web,
    ]);
    expect(names(groups)).toEqual({
      web: [
        'Service/web',
        'ConfigMap/web-env',
        'Secret/db-password',
        'PersistentVolumeClaim/data',
        'Deployment/web',
      ],
    });
  });

  it('puts what several services use, and what no service uses, under shared, listed first', () => {
    const uses = { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'common' } }] }] };
    const groups = groupObjectsByService([
      deployment('b', uses),
      deployment('a', uses),
      object('ConfigMap', 'common'),
      object('Namespace', 'shop'),
      object('NetworkPolicy', 'shop-default'),
    ]);
    expect(groups.map((g) => g.service)).toEqual(['shared', 'a', 'b']);
    expect(names(groups).shared).toEqual([
      'ConfigMap/common',
      'Namespace/shop',
      'NetworkPolicy/shop-default',
    ]);
  });

  it('follows an autoscaler to its workload and a CronJob into its job template', () => {
    const cron: KubernetesObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', labels: label('backup') },
      spec: {
        jobTemplate: {
          spec: {
            template: { spec: { containers: [{ name: 'b', envFrom: [{ secretRef: { name: 's3' } }] }] } },
          },
        },
      },
    } as KubernetesObject;
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api-hpa' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' } },
    } as KubernetesObject;
    const groups = groupObjectsByService([
      cron,
      object('Secret', 's3'),
      hpa,
      deployment('api', { containers: [] }),
    ]);
    expect(names(groups)).toEqual({
      api: ['HorizontalPodAutoscaler/api-hpa', 'Deployment/api'],
      backup: ['CronJob/backup', 'Secret/s3'],
    });
  });
});
