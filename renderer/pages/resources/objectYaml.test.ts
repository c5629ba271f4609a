import { describe, expect, it } from 'vitest';
import { editableYaml, objectYaml } from './objectYaml';

describe('objectYaml', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', managedFields: [{ manager: 'kubectl' }] },
    data: { password: 'aHVudGVyMg==' },
  };

  it('hides managedFields and masks secret values until revealed', () => {
    const hidden = objectYaml(secret, false);
    expect(hidden).not.toContain('managedFields');
    expect(hidden).not.toContain('aHVudGVyMg==');
    expect(hidden).toContain('password: ••••••');
    expect(objectYaml(secret, true)).toContain('password: aHVudGVyMg==');
    expect(hidden.split('\n').slice(0, 3)).toEqual(['apiVersion: v1', 'kind: Secret', 'metadata:']);
  });
});

describe('editableYaml', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      managedFields: [{ manager: 'kubectl' }],
    },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  };

  it('leaves out status and what the server sets, keeping what a person writes', () => {
    expect(editableYaml(deployment, false)).toBe(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  replicas: 2\n',
    );
  });

  it("leaves a Secret's values out until they are revealed", () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: 'aHVudGVyMg==' },
    };
    expect(editableYaml(secret, false)).toBe('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n');
    expect(editableYaml(secret, true)).toContain('password: aHVudGVyMg==');
  });
});
