import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pinnedReference, repositoryOf } from './buildImages';
import { withPinnedImages } from './pinnedImages';

const podSpec = (image: string, extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'main', image, ...extra }],
});

describe('withPinnedImages', () => {
  const pinned = new Map([['web', 'shop-web:0123456789ab']]);

  it('points every kind of workload at the pinned image, pulled only when missing', () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: podSpec('web') } } },
      { apiVersion: 'v1', kind: 'Pod', spec: podSpec('web') },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        spec: {
          jobTemplate: { spec: { template: { spec: podSpec('web', { imagePullPolicy: 'Always' }) } } },
        },
      },
    ] as unknown as KubernetesObject[];
    const out = withPinnedImages(objects, pinned) as unknown as {
      spec: Record<string, never> & {
        template?: { spec: { containers: object[] } };
        jobTemplate?: { spec: { template: { spec: { containers: object[] } } } };
        containers?: object[];
      };
    }[];
    expect(out[0]?.spec.template?.spec.containers).toEqual([
      { name: 'main', image: 'shop-web:0123456789ab', imagePullPolicy: 'IfNotPresent' },
    ]);
    expect(out[1]?.spec.containers).toEqual([
      { name: 'main', image: 'shop-web:0123456789ab', imagePullPolicy: 'IfNotPresent' },
    ]);
    // A policy the compose file asked for (kompose.image-pull-policy) stays.
    expect(out[2]?.spec.jobTemplate?.spec.template.spec.containers).toEqual([
      { name: 'main', image: 'shop-web:0123456789ab', imagePullPolicy: 'Always' },
    ]);
  });

  it('leaves objects without a built image as they are, and never changes its input', () => {
    const redis = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { template: { spec: podSpec('redis:7') } },
    };
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: podSpec('web') } } };
    const service = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } };
    const out = withPinnedImages([redis, web, service] as KubernetesObject[], pinned);
    expect(out[0]).toBe(redis);
    expect(out[2]).toBe(service);
    expect(web.spec.template.spec.containers[0]?.image).toBe('web');
  });
});

describe('pinned image references', () => {
  it('keeps the repository, registry port included, and tags it with the short image ID', () => {
    expect(repositoryOf('shop-web')).toBe('shop-web');
    expect(repositoryOf('registry.local:5000/team/web:1.2')).toBe('registry.local:5000/team/web');
    expect(repositoryOf('registry.local:5000/team/web')).toBe('registry.local:5000/team/web');
    expect(pinnedReference('team/web:1.2', `sha256:${'ab'.repeat(32)}`)).toBe('team/web:abababababab');
  });
});
